import type { ServerSetting } from '../catalogue/index.ts';
import type { Attempts } from './attempts.ts';
import type { ParsedEmail } from './email.ts';
import type { DiscoveryDeps, Suggestion } from './types.ts';

/** Common host names, best first; a guess is kept only when the server greets us. */
function candidates(domain: string): { imap: ServerSetting[]; smtp: ServerSetting[] } {
  return {
    imap: [
      { host: `imap.${domain}`, port: 993, security: 'tls' },
      { host: `mail.${domain}`, port: 993, security: 'tls' },
    ],
    smtp: [
      { host: `smtp.${domain}`, port: 465, security: 'tls' },
      { host: `smtp.${domain}`, port: 587, security: 'starttls' },
      { host: `mail.${domain}`, port: 465, security: 'tls' },
      { host: `mail.${domain}`, port: 587, security: 'starttls' },
    ],
  };
}

export async function fromGuess(email: ParsedEmail, deps: DiscoveryDeps, attempts: Attempts): Promise<Suggestion | undefined> {
  const { imap, smtp } = candidates(email.domain);
  const probe = (s: ServerSetting) =>
    attempts.run('guess', `${s.host}:${s.port}`, async (timeoutMs) => {
      // STARTTLS servers greet in the clear; the upgrade is the connector's business.
      const greeted = await deps.probeTcp(s.host, s.port, { timeoutMs, tls: s.security === 'tls' });
      return greeted ? { found: s, detail: 'greeting seen' } : { none: 'no greeting' };
    });
  const [imapSeen, smtpSeen] = await Promise.all([Promise.all(imap.map(probe)), Promise.all(smtp.map(probe))]);
  const bestImap = imapSeen.find(Boolean);
  const bestSmtp = smtpSeen.find(Boolean);
  if (!bestImap && !bestSmtp) return undefined;
  return { source: 'guess', imap: bestImap, smtp: bestSmtp, username: email.address, confidence: bestImap && bestSmtp ? 0.4 : 0.3 };
}
