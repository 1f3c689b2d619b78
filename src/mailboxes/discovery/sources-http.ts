import type { Attempts, Step } from './attempts.ts';
import { autoconfigUrls, parseClientConfig } from './autoconfig.ts';
import type { ParsedEmail } from './email.ts';
import { autodiscoverUrls, parsePoxResponse, poxRequest, type PoxSettings } from './exchange-autodiscover.ts';
import type { DiscoveryDeps, Suggestion } from './types.ts';

/** Thunderbird autoconfig at both published URLs; each answer is its own suggestion. */
export async function fromAutoconfig(email: ParsedEmail, deps: DiscoveryDeps, attempts: Attempts): Promise<Suggestion[]> {
  const configs = await Promise.all(
    autoconfigUrls(email).map((url) =>
      attempts.run('autoconfig', url, async (timeoutMs) => {
        const res = await deps.fetchText(url, { timeoutMs, headers: { accept: 'application/xml, text/xml' } });
        if (res.status !== 200) return { none: `HTTP ${res.status}` };
        const config = parseClientConfig(res.body, email);
        return config ? { found: config } : { none: 'no IMAP or SMTP server in the document' };
      }),
    ),
  );
  return configs.flatMap((c) => {
    if (!c) return [];
    const plain = c.imap?.security === 'plain' || c.smtp?.security === 'plain';
    return [{ source: 'autoconfig' as const, imap: c.imap, smtp: c.smtp, username: c.username, confidence: plain ? 0.6 : 0.9 }];
  });
}

async function askPox(url: string, email: ParsedEmail, deps: DiscoveryDeps, timeoutMs: number): Promise<Step<PoxSettings>> {
  const res = await deps.fetchText(url, {
    timeoutMs,
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml' },
    body: poxRequest(email),
  });
  if (res.status === 401) return { none: 'HTTP 401: Autodiscover wants credentials (an Exchange server is likely here)' };
  if (res.status !== 200) return { none: `HTTP ${res.status}` };
  const settings = parsePoxResponse(res.body);
  if (settings.ews || settings.imap || settings.smtp || settings.redirectUrl) return { found: settings };
  if (settings.redirectAddr) return { none: `redirects to another address (${settings.redirectAddr.slice(0, 100)})` };
  return { none: settings.error ? `server said: ${settings.error.slice(0, 150)}` : 'no EWS URL in the answer' };
}

/** Exchange POX Autodiscover at both URLs; a redirectUrl answer is followed once. */
export async function fromExchangeAutodiscover(email: ParsedEmail, deps: DiscoveryDeps, attempts: Attempts): Promise<Suggestion[]> {
  const answers = await Promise.all(
    autodiscoverUrls(email).map(async (url) => {
      const first = await attempts.run('exchange_autodiscover', url, (t) => askPox(url, email, deps, t));
      if (!first?.redirectUrl || first.ews || first.redirectUrl === url) return first;
      const target = first.redirectUrl;
      return attempts.run('exchange_autodiscover', target, (t) => askPox(target, email, deps, t));
    }),
  );
  const out: Suggestion[] = [];
  for (const a of answers) {
    if (!a || (!a.ews && !a.imap && !a.smtp)) continue;
    out.push({
      source: 'exchange_autodiscover',
      ...(a.ews ? { providerId: 'exchange', ews: a.ews } : {}),
      imap: a.imap,
      smtp: a.smtp,
      username: a.loginName ?? email.address,
      confidence: 0.6,
    });
  }
  return out;
}
