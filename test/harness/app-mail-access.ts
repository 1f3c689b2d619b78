// Emulates Exchange Online's check of an app-only (client credentials) token at IMAP/SMTP sign-in.
//
// An app-only token names no user: Exchange accepts it for a mailbox when the app's service principal
// was registered in the tenant (New-ServicePrincipal) and given access to that mailbox
// (Add-MailboxPermission). Dovecot 2.3 cannot tell the token checker which mailbox a login is for (it
// expands no variables in introspection_url, see README.md), so this check works a level up: it answers
// for an app that was allowed a tenant domain with an `email` in that domain, and the Dovecot it fronts
// is started with `usernameFormat: '%Ld'` so the domains are compared. The mailboxes an app may reach
// are then that domain's token users (`dovecot.addOAuthUser`); user tokens are passed through as they are.
// An app nobody allowed gets 401, as Exchange refuses a service principal without mailbox permission.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthProviderInstance } from './oauth-provider.ts';

export interface AppMailAccess {
  /** Give to Dovecot as `oauth2: { userinfoUrl: url, usernameFormat: '%Ld' }`. */
  url: string;
  /** The app (client id) may sign in to the mailboxes of `domain` (Exchange: service principal + mailbox permission). */
  allow(appId: string, domain: string): void;
  disallow(appId: string): void;
  /** Each check: the app or user it was for, and the answer. */
  checks: Array<{ status: number; appId?: string; email?: string }>;
  stop(): Promise<void>;
}

export async function startAppMailAccess(provider: Pick<OAuthProviderInstance, 'userinfoUrl'>): Promise<AppMailAccess> {
  const allowed = new Map<string, string>();
  const checks: AppMailAccess['checks'] = [];
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const upstream = await fetch(provider.userinfoUrl, { headers: { authorization: req.headers.authorization ?? '' } });
      const info = (await upstream.json().catch(() => ({}))) as { email?: string; app_id?: string };
      if (!upstream.ok) {
        checks.push({ status: upstream.status });
        return answer(res, upstream.status, info);
      }
      if (info.email) {
        checks.push({ status: 200, email: info.email });
        return answer(res, 200, info);
      }
      const domain = info.app_id ? allowed.get(info.app_id) : undefined;
      checks.push({ status: domain ? 200 : 401, appId: info.app_id });
      if (!domain) return answer(res, 401, { error: 'invalid_token' });
      // Only the domain part counts (usernameFormat %Ld): the local part just names the app.
      return answer(res, 200, { ...info, email: `app-${info.app_id}@${domain}` });
    })().catch(() => answer(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/exchange/app-access`,
    allow: (appId, domain) => void allowed.set(appId, domain.toLowerCase()),
    disallow: (appId) => void allowed.delete(appId),
    checks,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
