// Google Workspace domain-wide delegation for the local "Google" (oauth-provider.ts): a service account
// (RSA key pair, JSON key file as the Google Cloud console gives it) signs a JWT naming a user in `sub`,
// and the token endpoint trades it (RFC 7523, grant_type urn:ietf:params:oauth:grant-type:jwt-bearer)
// for an access token of that user, as https://oauth2.googleapis.com/token does. Refusals use Google's
// own words: an undelegated client or scope is `unauthorized_client`; an unknown user, or one outside
// the delegated domains, `invalid_grant` "Invalid email or User ID"; a bad signature `invalid_grant`.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { errors } from 'oidc-provider';
import {
  GOOGLE_MAIL_SCOPE,
  googleNumericId,
  startOAuthProvider,
  type OAuthProviderExtensionPoint,
  type OAuthProviderInstance,
} from './oauth-provider.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The JSON key file of a service account (the fields Google's file has). */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
}

interface ServiceAccount {
  clientId: string;
  clientEmail: string;
  publicKey: KeyObject;
  /** Workspace domains whose users it may act for. */
  domains: string[];
  /** Domain-wide delegation granted in the Admin console for the mail scope. */
  delegated: boolean;
}

export interface GoogleWithDelegation extends OAuthProviderInstance {
  /** A new service account; `delegated` (default true) plays the Admin console's domain-wide delegation entry. */
  createServiceAccount(opts: { domains: string[]; delegated?: boolean }): ServiceAccountKeyFile;
  setDelegation(clientId: string, delegated: boolean): void;
  /** Each JWT bearer request: for whom, and the error when refused. */
  jwtBearerRequests: Array<{ sub: string | null; error: string | null }>;
}

/** The parts of oidc-provider a custom grant needs (oidc-provider.d.ts types only what oauth-provider.ts uses). */
interface GrantContext {
  oidc: { params: Record<string, unknown>; client: { clientId: string } };
  body?: unknown;
}
interface ProviderWithGrants {
  registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params?: string[]): void;
  Grant: OAuthProviderExtensionPoint['provider']['Grant'];
  AccessToken: new (props: {
    accountId: string;
    client: unknown;
    grantId: string;
    scope: string;
    gty?: string;
  }) => {
    expiration: number;
    save(): Promise<string>;
  };
}

class GoogleRefusal extends (errors.CustomOIDCProviderError as unknown as new (
  error: string,
  description: string,
) => Error & {
  statusCode: number;
  status: number;
}) {
  constructor(error: string, description: string, status: number) {
    super(error, description);
    this.statusCode = status;
    this.status = status;
  }
}

function installJwtBearer(
  point: OAuthProviderExtensionPoint,
  accounts: Map<string, ServiceAccount>,
  log: GoogleWithDelegation['jwtBearerRequests'],
) {
  const { issuer } = point;
  const provider = point.provider as unknown as ProviderWithGrants;
  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx) => {
      const sa = accounts.get(ctx.oidc.client.clientId);
      const assertion = String(ctx.oidc.params.assertion ?? '');
      const refuse = (sub: string | null, error: string, description: string, status = 400): never => {
        log.push({ sub, error });
        throw new GoogleRefusal(error, description, status);
      };
      if (!sa) return refuse(null, 'invalid_client', 'The OAuth client was not found.', 401);
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(assertion, sa.publicKey, {
          issuer: sa.clientEmail,
          audience: `${issuer}/token`,
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'iat', 'exp'],
        }));
      } catch {
        return refuse(null, 'invalid_grant', 'Invalid JWT Signature.');
      }
      const sub = String(payload.sub).toLowerCase();
      if ((payload.exp as number) - (payload.iat as number) > 3600)
        return refuse(sub, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes)');
      const scopes = String(payload.scope ?? '').split(' ');
      if (!sa.delegated || !scopes.includes(GOOGLE_MAIL_SCOPE))
        return refuse(
          sub,
          'unauthorized_client',
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
          401,
        );
      const accountId = point.accountIdOf(sub);
      if (!accountId || !sa.domains.includes(sub.split('@')[1] ?? '')) return refuse(sub, 'invalid_grant', 'Invalid email or User ID');
      // A grant per token, so revoke(email) (deletes the account's grants) kills it as a suspended user's.
      const grant = new provider.Grant({ accountId, clientId: sa.clientId });
      grant.addResourceScope(GOOGLE_MAIL_SCOPE, GOOGLE_MAIL_SCOPE);
      const grantId = await grant.save();
      const token = new provider.AccessToken({ accountId, client: ctx.oidc.client, grantId, scope: GOOGLE_MAIL_SCOPE, gty: 'jwt_bearer' });
      const value = await token.save();
      log.push({ sub, error: null });
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: GOOGLE_MAIL_SCOPE };
    },
    ['assertion'],
  );
}

/** The local "Google" with domain-wide delegation (JWT bearer grant) on top of everything oauth-provider.ts does. */
export async function startGoogleWithDelegation(opts: { accessTokenTtlSeconds?: number } = {}): Promise<GoogleWithDelegation> {
  const accounts = new Map<string, ServiceAccount>();
  const jwtBearerRequests: GoogleWithDelegation['jwtBearerRequests'] = [];
  const google = await startOAuthProvider({
    kind: 'google',
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds,
    extend: (point) => installJwtBearer(point, accounts, jwtBearerRequests),
  });
  return Object.assign(google, {
    jwtBearerRequests,
    createServiceAccount({ domains, delegated = true }: { domains: string[]; delegated?: boolean }): ServiceAccountKeyFile {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const clientId = googleNumericId(randomBytes(8));
      const name = `tidings-${randomBytes(3).toString('hex')}`;
      const clientEmail = `${name}@tidings-test.iam.gserviceaccount.com`;
      accounts.set(clientId, { clientId, clientEmail, publicKey, domains: domains.map((d) => d.toLowerCase()), delegated });
      google.registerClient({ clientId, grantTypes: [JWT_BEARER_GRANT] });
      return {
        type: 'service_account',
        project_id: 'tidings-test',
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        client_email: clientEmail,
        client_id: clientId,
        auth_uri: `${google.issuer}/auth`,
        token_uri: `${google.issuer}/token`,
      };
    },
    setDelegation(clientId: string, delegated: boolean) {
      const sa = accounts.get(clientId);
      if (sa) sa.delegated = delegated;
    },
  });
}
