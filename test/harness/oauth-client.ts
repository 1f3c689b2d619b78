// A tiny OAuth client for tests (oauth4webapi), so a test can get real tokens from the local provider
// in one call: sign in with code + PKCE, refresh, device code, client credentials. Production sign-in
// lives in src/signin/; this is only the test side.
import * as oauth from 'oauth4webapi';
import { HarnessError } from './errors.ts';
import { GOOGLE_MAIL_SCOPE, MICROSOFT_IMAP_SCOPE, MICROSOFT_SMTP_SCOPE, type OAuthProviderInstance } from './oauth-provider.ts';

export const MAIL_SCOPES: Record<OAuthProviderInstance['kind'], string> = {
  google: `openid email profile ${GOOGLE_MAIL_SCOPE}`,
  microsoft: `openid email profile offline_access ${MICROSOFT_IMAP_SCOPE} ${MICROSOFT_SMTP_SCOPE}`,
};

export interface TestTokens {
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
  scope?: string;
  idTokenClaims?: oauth.IDToken;
}

export interface OAuthTestClient {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  /** Authorization code + PKCE through the provider's pages (login and consent) as `email`. */
  signIn(email: string, opts?: { scope?: string; consent?: 'grant' | 'deny' }): Promise<TestTokens>;
  refresh(refreshToken: string): Promise<TestTokens>;
  clientCredentials(scope: string): Promise<TestTokens>;
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;

function toTokens(r: oauth.TokenEndpointResponse): TestTokens {
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    expiresIn: r.expires_in,
    scope: r.scope,
    idTokenClaims: oauth.getValidatedIdTokenClaims(r),
  };
}

/** Registers a confidential client on `provider` and returns a client bound to it. */
export async function oauthTestClient(
  provider: OAuthProviderInstance,
  opts: { clientId?: string; clientSecret?: string; redirectUri?: string } = {},
): Promise<OAuthTestClient> {
  const clientId = opts.clientId ?? `test-client-${Math.random().toString(36).slice(2, 8)}`;
  const clientSecret = opts.clientSecret ?? 'test-client-secret';
  const redirectUri = opts.redirectUri ?? 'http://127.0.0.1:9/oauth/callback';
  provider.registerClient({ clientId, clientSecret, redirectUris: [redirectUri] });
  const issuer = new URL(provider.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const client: oauth.Client = { client_id: clientId };
  const auth = oauth.ClientSecretPost(clientSecret);

  return {
    as,
    client,
    async signIn(email, signInOpts = {}) {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint ?? '');
      url.search = new URLSearchParams({
        client_id: clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: signInOpts.scope ?? MAIL_SCOPES[provider.kind],
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        login_hint: email,
        ...(provider.kind === 'google' ? { access_type: 'offline', prompt: 'consent' } : {}),
      }).toString();
      const back = await provider.authorize(url.href, { email, consent: signInOpts.consent });
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, client, new URL(back), state);
      } catch (cause) {
        const error = new URL(back).searchParams.get('error') ?? 'unknown';
        throw new HarnessError(`OAUTH_${error.toUpperCase()}`, `authorization failed: ${error}`, { cause });
      }
      const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
      return toTokens(await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true }));
    },
    async refresh(refreshToken) {
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, insecure);
      return toTokens(await oauth.processRefreshTokenResponse(as, client, response));
    },
    async clientCredentials(scope) {
      const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope }, insecure);
      return toTokens(await oauth.processClientCredentialsResponse(as, client, response));
    },
  };
}
