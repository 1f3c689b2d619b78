// A local OpenID Provider (the npm package oidc-provider) that plays Google or Microsoft for tests:
// authorization code + PKCE, refresh tokens, device code (Microsoft), client credentials, the mail
// scopes each provider uses, ID tokens with the claims each provider sends, short access tokens on
// demand, and revocation. `userinfoUrl` is what Dovecot's oauth2 passdb and the SMTP harness ask to
// check a token, as Gmail's and Outlook's servers check theirs.
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessTokenInstance, InteractionDetails } from 'oidc-provider';
import { HarnessError } from './errors.ts';
import { consentPage, deviceConfirmPage, deviceDonePage, deviceInputPage, errorPage, loginPage, type ProviderKind } from './oauth-pages.ts';
import { OAuthStore } from './oauth-store.ts';
import { Walker } from './oauth-walker.ts';

export type { ProviderKind } from './oauth-pages.ts';

export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';
export const MICROSOFT_IMAP_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All';
export const MICROSOFT_SMTP_SCOPE = 'https://outlook.office.com/SMTP.Send';
/** Microsoft's app-only (client credentials) scope for IMAP/SMTP. */
export const MICROSOFT_APP_SCOPE = 'https://outlook.office365.com/.default';
/** Microsoft Graph's delegated mail permissions, and app-only (the application permissions an admin granted). */
export const GRAPH_MAIL_SCOPE = 'https://graph.microsoft.com/Mail.ReadWrite';
export const GRAPH_SEND_SCOPE = 'https://graph.microsoft.com/Mail.Send';
export const GRAPH_USER_SCOPE = 'https://graph.microsoft.com/User.Read';
export const GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';

/** Resource servers (RFC 8707) each provider issues mail tokens for, and their scopes. */
const RESOURCES: Record<ProviderKind, Record<string, string[]>> = {
  google: { 'https://mail.google.com/': [GOOGLE_MAIL_SCOPE] },
  microsoft: {
    'https://outlook.office.com/': [MICROSOFT_IMAP_SCOPE, MICROSOFT_SMTP_SCOPE],
    'https://outlook.office365.com/': [MICROSOFT_APP_SCOPE],
    'https://graph.microsoft.com/': [GRAPH_MAIL_SCOPE, GRAPH_SEND_SCOPE, GRAPH_USER_SCOPE, GRAPH_APP_SCOPE],
  },
};

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The polling interval a device authorization asks for (RFC 8628 `interval`). */
export const DEVICE_POLL_SECONDS = 1;

export interface OAuthProviderInstance {
  kind: ProviderKind;
  /** http://127.0.0.1:PORT (plain http on loopback); discovery at /.well-known/openid-configuration. */
  issuer: string;
  /** Answers 200 `{ sub, email, ... }` for a live mail token, 401 otherwise (bearer in Authorization). */
  userinfoUrl: string;
  /** Microsoft's tenant id (the `tid` claim); Google has none. */
  tenantId?: string;
  addAccount(email: string, opts?: { name?: string; password?: string }): void;
  registerClient(c: {
    clientId: string;
    clientSecret?: string;
    redirectUris?: string[];
    grantTypes?: string[];
    /** Default client_secret_post with a secret, none without. */
    tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  }): void;
  /** Walks login + consent over plain HTTP as a browser would; returns the final redirect URL to the
   *  client's redirect_uri (with code & state, or error=access_denied) WITHOUT following it. */
  authorize(authorizationUrl: string, opts: { email: string; consent?: 'grant' | 'deny' }): Promise<string>;
  /** Device code flow: the user enters the code and consents. */
  approveDevice(userCode: string, email: string): Promise<void>;
  /** Revokes every grant of the account: its next refresh gets invalid_grant, its tokens stop working. */
  revoke(email: string): Promise<void>;
  setAccessTokenTtl(seconds: number): void;
  /**
   * Makes the token endpoint answer every request with this error (HTTP `status`, default 400) until
   * cleared with null, to test how a client maps provider errors: e.g. Microsoft's expired secret
   * `{ error: 'invalid_client', error_description: 'AADSTS7000222: …', status: 401 }`.
   */
  setTokenError(answer: ProviderError | null): void;
  /**
   * Makes the authorization endpoint send the browser straight back to the client's redirect_uri with
   * this error (and the request's state), until cleared with null: e.g. `{ error: 'consent_required',
   * error_description: 'AADSTS65001: …' }` or `{ error: 'access_denied', error_description: 'AADSTS50020: …' }`.
   */
  setAuthorizationError(answer: ProviderError | null): void;
  /** How many times userinfoUrl answered, and with what (for tests that check who asked). */
  userinfoRequests: Array<{ status: number; url: string; email?: string; dovecotHeaders: Record<string, string> }>;
  stop(): Promise<void>;
}

export interface ProviderError {
  error: string;
  error_description?: string;
  /** HTTP status of a token endpoint answer; default 400. */
  status?: number;
}

interface Account {
  id: string;
  email: string;
  name: string;
  password?: string;
}

/** A Google-looking numeric id (account `sub`, service account client id): 21 digits, from `bytes`. */
export function googleNumericId(bytes: Buffer): string {
  return `1${BigInt(`0x${bytes.toString('hex')}`)
    .toString()
    .padStart(20, '0')
    .slice(0, 20)}`;
}

/** Stable, provider-looking subject ids: Google's are 21 digits, Microsoft's opaque base64url. */
function subjectFor(kind: ProviderKind, email: string): string {
  const digest = createHash('sha256').update(`${kind}:${email}`).digest();
  return kind === 'google' ? googleNumericId(digest.subarray(0, 9)) : digest.subarray(0, 24).toString('base64url');
}

function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** What a harness extension (e.g. oauth-jwt-bearer.ts) may use: the oidc-provider and the accounts. */
export interface OAuthProviderExtensionPoint {
  kind: ProviderKind;
  issuer: string;
  provider: import('oidc-provider').default;
  /** The account id (`sub`) of an address the provider knows, else undefined. */
  accountIdOf(email: string): string | undefined;
}

export async function startOAuthProvider(opts: {
  kind: ProviderKind;
  accessTokenTtlSeconds?: number;
  /** Called once the provider exists, before it serves anything (extra grant types, say). */
  extend?: (point: OAuthProviderExtensionPoint) => void;
}): Promise<OAuthProviderInstance> {
  const { kind } = opts;
  // Loaded on first use: every test that imports the harness would otherwise load oidc-provider.
  const { default: Provider } = await import('oidc-provider');
  let accessTokenTtl = opts.accessTokenTtlSeconds ?? 3600;
  const store = new OAuthStore();
  const accountsById = new Map<string, Account>();
  const accountsByEmail = new Map<string, Account>();
  /** Grants whose authorization asked for a refresh token (Google: access_type=offline; Microsoft: offline_access). */
  const offlineGrants = new Set<string>();
  const tenantId = kind === 'microsoft' ? randomUUID() : undefined;
  const userinfoRequests: OAuthProviderInstance['userinfoRequests'] = [];
  let tokenError: ProviderError | null = null;
  let authorizationError: ProviderError | null = null;

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const clientName = (ctx: { oidc?: { client?: { clientName?: string; clientId?: string } } }): string =>
    ctx.oidc?.client?.clientName ?? ctx.oidc?.client?.clientId ?? 'the app';
  const scopeOf = (requested: string | undefined): string[] => (requested ?? '').split(' ').filter(Boolean);
  const resourceFor = (requested: string | undefined): string | undefined => {
    const scopes = scopeOf(requested);
    return Object.entries(RESOURCES[kind]).find(([, list]) => list.some((s) => scopes.includes(s)))?.[0];
  };

  const provider = new Provider(issuer, {
    adapter: store.adapterClass(),
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accountsById.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
          ...(kind === 'microsoft'
            ? { preferred_username: account.email, tid: tenantId, oid: randomUUIDFrom(sub) }
            : googleHostedDomain(account.email)),
        }),
      };
    },
    claims: {
      openid: ['sub', 'tid', 'oid', 'hd'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    // Google and Microsoft put the scoped claims (email, name) in the ID token of a code flow too.
    conformIdTokenClaims: false,
    extraParams: ['access_type', 'login_hint', 'hd', 'include_granted_scopes', 'x_offline_access'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...signingKey, kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' }] },
    responseTypes: ['code', 'none'],
    pkce: { required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === 'none' },
    ttl: {
      // Model names, not components: read at every issue so setAccessTokenTtl applies to the next token.
      ...Object.fromEntries(['AccessToken', 'ClientCredentials'].map((model) => [model, () => accessTokenTtl])),
      AuthorizationCode: 600,
      DeviceCode: 900,
      RefreshToken: 90 * 24 * 3600,
      Grant: 365 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      IdToken: 3600,
    },
    // Tokens outlive the provider's browser session, as they do at Google and Microsoft.
    expiresWithSession: async () => false,
    rotateRefreshToken: () => kind === 'microsoft',
    issueRefreshToken: async (
      _ctx: unknown,
      client: { grantTypeAllowed(t: string): boolean },
      code: { scopes: Set<string>; grantId?: string; kind?: string },
    ) => {
      if (!client.grantTypeAllowed('refresh_token')) return false;
      // Device code requests keep offline_access in their scope; code flows are remembered per grant.
      if (code.scopes.has('offline_access')) return true;
      return code.grantId !== undefined && offlineGrants.has(code.grantId);
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      deviceFlow: {
        enabled: kind === 'microsoft',
        userCodeInputSource: async (ctx: KoaLike, form: string, _out: unknown, err?: { userCode?: string; message?: string }) => {
          ctx.type = 'html';
          ctx.body = deviceInputPage(kind, form, actionOf(form), err ? 'That code did not work. Check it and try again.' : undefined);
        },
        userCodeConfirmSource: async (
          ctx: KoaLike,
          form: string,
          client: { clientName?: string; clientId: string },
          _info: unknown,
          userCode: string,
        ) => {
          ctx.type = 'html';
          ctx.body = deviceConfirmPage(kind, form, actionOf(form), client.clientName ?? client.clientId, userCode);
        },
        successSource: async (ctx: KoaLike) => {
          ctx.type = 'html';
          ctx.body = deviceDonePage(kind, clientName(ctx));
        },
      },
      resourceIndicators: {
        enabled: true,
        // Clients ask Google and Microsoft by scope alone: the mail scope picks the resource server.
        defaultResource: async (ctx: KoaLike) => resourceFor(ctx.oidc?.params?.scope as string | undefined),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          const scopes = RESOURCES[kind][resource];
          if (!scopes) throw new HarnessError('OAUTH_UNKNOWN_RESOURCE', `no resource server ${resource}`);
          return { scope: scopes.join(' '), accessTokenFormat: 'opaque', accessTokenTTL: accessTokenTtl, audience: resource };
        },
      },
    },
    renderError: async (ctx: KoaLike, out: { error: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(kind, out.error, out.error_description);
    },
  });
  provider.on('server_error', () => {
    // Surfaces in the response; keep the test output quiet.
  });
  // Microsoft answers a device authorization with `interval: 5`; this one says 1 second, so a client that
  // honours it finishes a device sign-in that much sooner (and one that ignored it would poll at 5 s).
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === 'POST' && ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object')
      ctx.body = { ...ctx.body, interval: DEVICE_POLL_SECONDS };
  });
  opts.extend?.({ kind, issuer, provider, accountIdOf: (email) => accountsByEmail.get(email.toLowerCase())?.id });
  const providerHandler = provider.callback();

  function randomUUIDFrom(seed: string): string {
    const h = createHash('sha256').update(seed).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  function googleHostedDomain(email: string): { hd?: string } {
    const domain = email.split('@')[1] ?? '';
    return domain === 'gmail.com' || domain === 'googlemail.com' ? {} : { hd: domain };
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action?: string): Promise<void> {
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      send(res, 400, 'text/html; charset=utf-8', errorPage(kind, 'invalid_request', 'This sign-in has expired. Start again.'));
      return;
    }
    if (details.uid !== uid) {
      send(res, 400, 'text/html; charset=utf-8', errorPage(kind, 'invalid_request', 'Wrong sign-in page.'));
      return;
    }
    const client = details.params.client_id ?? 'the app';
    if (req.method === 'GET') {
      if (details.prompt.name === 'login') {
        send(res, 200, 'text/html; charset=utf-8', loginPage({ kind, uid, clientName: client, loginHint: details.params.login_hint }));
      } else {
        const account = accountsById.get(details.session?.accountId ?? '');
        send(
          res,
          200,
          'text/html; charset=utf-8',
          consentPage({ kind, uid, clientName: client, email: account?.email ?? '', scopes: scopeOf(details.params.scope) }),
        );
      }
      return;
    }
    const form = await readBody(req);
    if (action === 'login') {
      const account = accountsByEmail.get((form.email ?? '').trim().toLowerCase());
      if (!account || (account.password !== undefined && account.password !== form.password)) {
        send(
          res,
          200,
          'text/html; charset=utf-8',
          loginPage({ kind, uid, clientName: client, loginHint: form.email, error: 'Wrong email or password.' }),
        );
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
      return;
    }
    if (action === 'consent') {
      if (form.decision !== 'grant') {
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The user denied the request.' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const accountId = details.session?.accountId ?? '';
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId, clientId: details.params.client_id ?? '' });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      const offline = kind === 'google' ? details.params.access_type === 'offline' : details.params.x_offline_access === '1';
      if (offline) offlineGrants.add(grantId);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    send(res, 404, 'text/plain', 'not found');
  }

  /**
   * oidc-provider drops offline_access from an authorization request without prompt=consent; Microsoft
   * does not (it gives a refresh token for offline_access alone). The scope is carried in a private
   * parameter instead and read back at consent, as Google's access_type=offline is.
   */
  function carryOfflineAccess(req: IncomingMessage, url: URL): void {
    const scopes = scopeOf(url.searchParams.get('scope') ?? undefined);
    if (kind !== 'microsoft' || !scopes.includes('offline_access')) return;
    url.searchParams.set('scope', scopes.filter((s) => s !== 'offline_access').join(' '));
    url.searchParams.set('x_offline_access', '1');
    req.url = `${url.pathname}${url.search}`;
  }

  /** A mail token is live when it exists, has not expired, its grant still exists and it carries a mail scope. */
  async function liveMailToken(token: string): Promise<{ token: AccessTokenInstance; account?: Account } | undefined> {
    const found = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
    if (!found || found.isExpired) return undefined;
    if (found.grantId && !(await provider.Grant.find(found.grantId))) return undefined;
    const mailScopes = Object.values(RESOURCES[kind]).flat();
    if (!scopeOf(found.scope).some((s) => mailScopes.includes(s))) return undefined;
    if (!found.accountId) return { token: found };
    const account = accountsById.get(found.accountId);
    return account ? { token: found, account } : undefined;
  }

  async function handleUserinfo(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers.authorization ?? '';
    // Dovecot's send_auth_headers = yes adds X-Dovecot-Auth-*: kept so tests can see what it tells.
    const dovecotHeaders = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => name.startsWith('x-dovecot-auth'))
        .map(([k, v]) => [k, String(v)]),
    );
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const live = bearer ? await liveMailToken(bearer) : undefined;
    if (!live) {
      userinfoRequests.push({ status: 401, url: req.url ?? '', dovecotHeaders });
      send(res, 401, 'application/json', JSON.stringify({ error: 'invalid_token' }), {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      return;
    }
    const { account, token } = live;
    userinfoRequests.push({ status: 200, url: req.url ?? '', email: account?.email, dovecotHeaders });
    const body = account
      ? { sub: account.id, email: account.email, email_verified: true, name: account.name, scope: token.scope }
      : { sub: token.clientId, app_id: token.clientId, scope: token.scope };
    send(res, 200, 'application/json', JSON.stringify(body));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (tokenError && url.pathname === '/token' && req.method === 'POST') {
      const { status = 400, ...body } = tokenError;
      req.resume();
      send(res, status, 'application/json', JSON.stringify(body));
      return;
    }
    if (authorizationError && url.pathname === '/auth' && req.method === 'GET' && url.searchParams.get('redirect_uri')) {
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('error', authorizationError.error);
      if (authorizationError.error_description) back.searchParams.set('error_description', authorizationError.error_description);
      const state = url.searchParams.get('state');
      if (state) back.searchParams.set('state', state);
      res.writeHead(303, { location: back.href, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (url.pathname === '/auth' && req.method === 'GET') carryOfflineAccess(req, url);
    const interaction = /^\/interaction\/([^/]+)(?:\/(login|consent))?$/.exec(url.pathname);
    const handled = interaction
      ? handleInteraction(req, res, interaction[1], interaction[2])
      : url.pathname === '/mail/userinfo'
        ? handleUserinfo(req, res)
        : undefined;
    if (!handled) {
      providerHandler(req, res);
      return;
    }
    handled.catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `harness provider error: ${(err as Error).message}`);
    });
  });

  const accountOf = (email: string): Account => {
    const account = accountsByEmail.get(email.toLowerCase());
    if (!account) throw new HarnessError('OAUTH_UNKNOWN_ACCOUNT', `no account ${email} at the local ${kind}`);
    return account;
  };

  let stopping: Promise<void> | undefined;
  return {
    kind,
    issuer,
    userinfoUrl: `${issuer}/mail/userinfo`,
    tenantId,
    userinfoRequests,

    addAccount(email, accountOpts = {}) {
      const normalized = email.toLowerCase();
      if (accountsByEmail.has(normalized)) throw new HarnessError('OAUTH_ACCOUNT_EXISTS', `account ${email} exists`);
      const account: Account = {
        id: subjectFor(kind, normalized),
        email: normalized,
        name: accountOpts.name ?? normalized.split('@')[0],
        password: accountOpts.password,
      };
      accountsById.set(account.id, account);
      accountsByEmail.set(normalized, account);
    },

    registerClient(c) {
      const redirectUris = c.redirectUris ?? [];
      const defaults = [
        ...(redirectUris.length > 0 ? ['authorization_code'] : []),
        'refresh_token',
        ...(kind === 'microsoft' ? [DEVICE_CODE_GRANT] : []),
        ...(c.clientSecret ? ['client_credentials'] : []),
      ];
      const grantTypes = c.grantTypes ?? defaults;
      store.set('Client', c.clientId, {
        client_id: c.clientId,
        ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
        client_name: c.clientId,
        redirect_uris: redirectUris,
        grant_types: grantTypes,
        response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
        token_endpoint_auth_method: c.clientSecret ? (c.tokenEndpointAuthMethod ?? 'client_secret_post') : 'none',
        // Web and loopback redirect URIs over plain http are fine for these tests.
        application_type: 'web',
      });
    },

    async authorize(authorizationUrl, authOpts) {
      const walker = new Walker(issuer);
      const account = accountOf(authOpts.email);
      let step = await walker.go(authorizationUrl);
      for (let i = 0; i < 10 && step.page; i += 1) {
        const { page } = step;
        if (page.form?.step === 'login') {
          step = await walker.submit(page, { email: account.email, password: account.password ?? '' });
        } else if (page.form?.step === 'consent') {
          step = await walker.submit(page, { decision: authOpts.consent ?? 'grant' });
        } else {
          const message = /<p data-step="error"[^>]*>([^<]*)/.exec(page.html)?.[1] ?? page.html.slice(0, 300);
          throw new HarnessError('OAUTH_AUTHORIZE_FAILED', `the local ${kind} stopped at ${page.url}: ${message}`);
        }
      }
      if (!step.leftTo) throw new HarnessError('OAUTH_AUTHORIZE_FAILED', 'the authorization did not redirect back to the client');
      return step.leftTo;
    },

    async approveDevice(userCode, email) {
      const walker = new Walker(issuer);
      const account = accountOf(email);
      let step = await walker.go(`${issuer}/device`);
      for (let i = 0; i < 10 && step.page; i += 1) {
        const { page } = step;
        const formStep = page.form?.step;
        if (formStep === 'device-input') step = await walker.submit(page, { user_code: userCode });
        else if (formStep === 'device-confirm') step = await walker.submit(page, { confirm: 'yes' });
        else if (formStep === 'login') step = await walker.submit(page, { email: account.email, password: account.password ?? '' });
        else if (formStep === 'consent') step = await walker.submit(page, { decision: 'grant' });
        else if (page.step === 'device-done') return;
        else throw new HarnessError('OAUTH_DEVICE_FAILED', `the local ${kind} stopped at ${page.url}: ${page.html.slice(0, 300)}`);
        if (step.page?.form?.step === 'device-input' && formStep === 'device-input') {
          throw new HarnessError('OAUTH_DEVICE_FAILED', `the local ${kind} did not accept the code ${userCode}`);
        }
      }
      throw new HarnessError('OAUTH_DEVICE_FAILED', 'the device approval did not finish');
    },

    async revoke(email) {
      const account = accountOf(email);
      // Grants, tokens, codes and sessions of the account all go: refresh gets invalid_grant, and
      // userinfoUrl (what the mail servers ask) answers 401 for its access tokens.
      store.deleteWhere((_model, payload) => payload.accountId === account.id);
    },

    setAccessTokenTtl(seconds) {
      accessTokenTtl = seconds;
    },

    setTokenError(answer) {
      tokenError = answer;
    },

    setAuthorizationError(answer) {
      authorizationError = answer;
    },

    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

type KoaLike = {
  type?: string;
  body?: unknown;
  oidc?: { params?: Record<string, unknown>; client?: { clientName?: string; clientId?: string } };
};

function actionOf(providerForm: string): string {
  return /action="([^"]*)"/.exec(providerForm)?.[1] ?? '/device';
}
