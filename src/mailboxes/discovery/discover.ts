import { matchProviderByDomain } from '../catalogue/index.ts';
import { Attempts } from './attempts.ts';
import { createDefaultDeps } from './default-deps.ts';
import { parseEmail, type ParsedEmail } from './email.ts';
import { fromMx, fromSrv, usernameFor } from './sources-dns.ts';
import { fromAutoconfig, fromExchangeAutodiscover } from './sources-http.ts';
import { fromGuess } from './source-guess.ts';
import { sourceRank, type DiscoverOptions, type DiscoveryDeps, type DiscoveryResult, type Suggestion } from './types.ts';

export const defaultDiscoveryTimeoutMs = 4000;

function fromCatalogue(email: ParsedEmail, attempts: Attempts): Suggestion | undefined {
  const provider = matchProviderByDomain(email.domain);
  attempts.tried.push(
    provider
      ? { source: 'catalogue', target: email.domain, outcome: 'found', detail: provider.id }
      : { source: 'catalogue', target: email.domain, outcome: 'none' },
  );
  if (!provider?.imap || !provider.smtp) return undefined;
  return {
    source: 'catalogue',
    providerId: provider.id,
    imap: provider.imap,
    smtp: provider.smtp,
    username: usernameFor(provider, email),
    confidence: 0.95,
  };
}

const key = (s: Suggestion) => JSON.stringify([s.source, s.imap, s.smtp, s.username, s.ews]);

/**
 * Finds server settings for an address from every source at once, within one time budget, labelling
 * each suggestion with where it came from. Throws only DiscoveryError('invalid_email'); every failed
 * look-up is recorded in `tried` instead.
 */
export async function discover(email: string, deps?: DiscoveryDeps, opts: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const parsed = parseEmail(email);
  const use = deps ?? createDefaultDeps();
  const attempts = new Attempts(Math.max(1, opts.timeoutMs ?? defaultDiscoveryTimeoutMs));
  try {
    const catalogue = fromCatalogue(parsed, attempts);
    const [autoconfig, mx, srv, exchange, guess] = await Promise.all([
      fromAutoconfig(parsed, use, attempts),
      fromMx(parsed, use, attempts),
      fromSrv(parsed, use, attempts),
      fromExchangeAutodiscover(parsed, use, attempts),
      fromGuess(parsed, use, attempts),
    ]);
    const all = [catalogue, ...autoconfig, mx.suggestion, srv, ...exchange, guess].filter((s): s is Suggestion => !!s);
    const seen = new Set<string>();
    const suggestions = all
      .filter((s) => {
        if (seen.has(key(s))) return false;
        seen.add(key(s));
        return true;
      })
      .sort((a, b) => sourceRank.indexOf(a.source) - sourceRank.indexOf(b.source) || b.confidence - a.confidence);
    const provider = matchProviderByDomain(parsed.domain) ?? mx.provider;
    return { email: parsed.address, domain: parsed.domain, ...(provider ? { provider } : {}), suggestions, tried: attempts.tried };
  } finally {
    attempts.close();
  }
}
