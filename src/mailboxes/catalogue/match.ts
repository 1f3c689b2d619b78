import type { Provider } from './types.ts';

/** Lower case, no trailing root dot: DNS answers and user input differ only in these. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.+$/, '');
}

/**
 * How well `pattern` fits `host`: exact hosts beat suffixes, longer suffixes beat shorter ones, so
 * 'mxbiz1.qq.com' (Exmail) wins over any '.qq.com' rule and 'qiye163mx01.mxmail.netease.com' over
 * '.mxmail.netease.com'. Zero means no match.
 */
function patternScore(host: string, pattern: string): number {
  const p = normaliseHost(pattern);
  if (p.startsWith('.')) return host.endsWith(p) ? p.length : 0;
  return host === p ? 10_000 + p.length : 0;
}

export function findProviderIn(providers: readonly Provider[], id: string): Provider | undefined {
  return providers.find((p) => p.id === id);
}

export function matchDomainIn(providers: readonly Provider[], domain: string): Provider | undefined {
  const d = normaliseHost(domain);
  if (!d) return undefined;
  return providers.find((p) => p.match.domains.includes(d));
}

/** `mxHosts` in preference order (lowest MX priority first); the first host any provider claims decides. */
export function matchMxIn(providers: readonly Provider[], mxHosts: string[]): Provider | undefined {
  for (const raw of mxHosts) {
    const host = normaliseHost(raw);
    if (!host) continue;
    let best: { provider: Provider; score: number } | undefined;
    for (const provider of providers) {
      for (const pattern of provider.match.mxPatterns) {
        const score = patternScore(host, pattern);
        if (score > 0 && (!best || score > best.score)) best = { provider, score };
      }
    }
    if (best) return best.provider;
  }
  return undefined;
}
