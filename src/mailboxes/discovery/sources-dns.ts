import { matchProviderByMx, type Provider, type Security, type ServerSetting } from '../catalogue/index.ts';
import type { Attempts } from './attempts.ts';
import type { ParsedEmail } from './email.ts';
import type { DiscoveryDeps, Suggestion } from './types.ts';

export function usernameFor(provider: Provider, email: ParsedEmail): string {
  return provider.username === 'local_part' ? email.local : email.address;
}

/** MX hosts mapped back to the catalogue: a company domain hosted on Exmail, Microsoft 365, Google... */
export async function fromMx(
  email: ParsedEmail,
  deps: DiscoveryDeps,
  attempts: Attempts,
): Promise<{ provider?: Provider; suggestion?: Suggestion }> {
  const provider = await attempts.run('mx', email.domain, async () => {
    const records = await deps.resolveMx(email.domain);
    if (records.length === 0) return { none: 'no MX records' };
    const hosts = [...records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
    const match = matchProviderByMx(hosts);
    return match ? { found: match, detail: `${hosts[0]} → ${match.id}` } : { none: `MX ${hosts.join(', ')} not in the catalogue` };
  });
  if (!provider) return {};
  const servers = provider.customDomain ?? (provider.imap && provider.smtp ? { imap: provider.imap, smtp: provider.smtp } : undefined);
  if (!servers) return { provider };
  return {
    provider,
    suggestion: { source: 'mx', providerId: provider.id, ...servers, username: usernameFor(provider, email), confidence: 0.8 },
  };
}

const srvNames: { prefix: string; kind: 'imap' | 'smtp'; security: Security }[] = [
  // RFC 8314: implicit TLS first.
  { prefix: '_imaps._tcp', kind: 'imap', security: 'tls' },
  { prefix: '_imap._tcp', kind: 'imap', security: 'starttls' },
  { prefix: '_submissions._tcp', kind: 'smtp', security: 'tls' },
  { prefix: '_submission._tcp', kind: 'smtp', security: 'starttls' },
];

/** RFC 6186 SRV records; a target of "." means the service is deliberately not offered. */
export async function fromSrv(email: ParsedEmail, deps: DiscoveryDeps, attempts: Attempts): Promise<Suggestion | undefined> {
  const found = await Promise.all(
    srvNames.map(({ prefix, security }) => {
      const name = `${prefix}.${email.domain}`;
      return attempts.run('srv', name, async () => {
        const records = await deps.resolveSrv(name);
        if (records.length === 0) return { none: 'no SRV records' };
        // Lowest priority first, then the heaviest weight: good enough without weighted random choice.
        const best = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
        const host = best.name.replace(/\.$/, '').toLowerCase();
        if (host === '' || best.port === 0) return { none: 'not offered (target ".")' };
        const setting: ServerSetting = { host, port: best.port, security };
        return { found: setting, detail: `${host}:${best.port}` };
      });
    }),
  );
  const pick = (kind: 'imap' | 'smtp') => srvNames.map((s, i) => (s.kind === kind ? found[i] : undefined)).find(Boolean);
  const imap = pick('imap');
  const smtp = pick('smtp');
  if (!imap && !smtp) return undefined;
  return { source: 'srv', imap, smtp, username: email.address, confidence: imap && smtp ? 0.7 : 0.6 };
}
