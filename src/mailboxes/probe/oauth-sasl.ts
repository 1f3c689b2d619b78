import type { OAuthServerFailureCode, ProbeFailureCode } from './types.ts';

/** SASL mechanisms for a token, in the order we prefer them: XOAUTH2 is what Gmail and Microsoft 365 document. */
export type OAuthMechanism = 'XOAUTH2' | 'OAUTHBEARER';

export function pickOAuthMechanism(offered: readonly string[]): OAuthMechanism | undefined {
  if (offered.includes('XOAUTH2')) return 'XOAUTH2';
  if (offered.includes('OAUTHBEARER')) return 'OAUTHBEARER';
  return undefined;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** RFC 5801 saslname: "," and "=" are escaped in the authzid. */
function saslName(user: string): string {
  return user.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** The mechanism's initial client response (not yet base64). */
export function oauthPayload(mechanism: OAuthMechanism, user: string, token: string, host: string, port: number): string {
  if (mechanism === 'XOAUTH2') return `user=${user}\x01auth=Bearer ${token}\x01\x01`;
  return `n,a=${saslName(user)},\x01host=${host}\x01port=${port}\x01auth=Bearer ${token}\x01\x01`;
}

/** The mechanism's initial client response for `target`, base64 as it goes on the wire. */
export function oauthInitialResponse(
  mechanism: OAuthMechanism,
  target: { username: string; host: string; port: number },
  token: string,
): string {
  return b64(oauthPayload(mechanism, target.username, token, target.host, target.port));
}

/** Every form a token can take on the wire or in a report, for the final redaction pass. */
export function tokenForms(user: string, token: string, host: string, port: number): string[] {
  const target = { username: user, host, port };
  return [token, b64(token), oauthInitialResponse('XOAUTH2', target, token), oauthInitialResponse('OAUTHBEARER', target, token)];
}

/** The JSON a server sends in its error challenge (Gmail: {"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}). */
export interface OAuthChallenge {
  status?: string;
  schemes?: string;
  scope?: string;
}

/** Decodes a base64 JSON error challenge; undefined for anything else (kept out of reports unread). */
export function decodeOAuthChallenge(base64: string): OAuthChallenge | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(base64.trim(), 'base64').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { status, schemes, scope } = parsed as Record<string, unknown>;
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.slice(0, 200) : undefined);
    return { status: text(status), schemes: text(schemes), scope: text(scope) };
  } catch {
    return undefined;
  }
}

/**
 * A server's error challenge (base64 JSON) answered: the challenge decoded for the report, and the line
 * that ends the failed exchange as the mechanism wants it (RFC 7628 §3.2.3; Gmail: an empty line), with
 * how the transcript shows it. The server then sends its refusal.
 */
export function answerErrorChallenge(
  mechanism: OAuthMechanism,
  base64: string,
): { challenge: OAuthChallenge | undefined; response: string; shown: string } {
  const response = mechanism === 'XOAUTH2' ? '' : b64('\x01');
  return { challenge: decodeOAuthChallenge(base64), response, shown: response === '' ? '(empty line)' : response };
}

interface TokenRule {
  code: OAuthServerFailureCode | ProbeFailureCode;
  pattern: RegExp;
}

/**
 * What a server's refusal of a token means. The token came straight from the provider's token endpoint,
 * so a refusal is either the server not taking tokens for this mailbox (IMAP/SMTP switched off) or the
 * token not being good for mail (scope, account). Order matters: the first match wins.
 */
const TOKEN_RULES: TokenRule[] = [
  // Microsoft 365: SMTP AUTH off for the tenant or the mailbox.
  { code: 'oauth_smtp_disabled', pattern: /SmtpClientAuthentication is disabled|smtp_auth_disabled/i },
  // Google Workspace with IMAP turned off by the admin or the user.
  {
    code: 'oauth_imap_disabled',
    pattern: /IMAP access is disabled|not enabled for IMAP|IMAP (use|access) (is )?(not enabled|disabled|turned off)|POP and IMAP access/i,
  },
  // Microsoft 365: a good token for a mailbox whose IMAP is off (or for an app without IMAP permission)
  // gets only this; with an expired token Microsoft answers the same, but ours is fresh.
  { code: 'oauth_imap_disabled', pattern: /^NO AUTHENTICATE failed\.?$/i },
  {
    code: 'auth_method_unsupported',
    pattern: /\[CANNOT\]|unrecognized authentication type|(unsupported|unknown|invalid) (authentication |sasl )?mechanism/i,
  },
  { code: 'rate_limited', pattern: /too many|rate.?limit|throttl|exceeded|try (again )?later/i },
];

/**
 * Classifies a refused token sign-in. `challenge` is the server's decoded error challenge, if any: its
 * status 401 means the token was not accepted (expired, revoked, unknown); 400 and 403 that it is not
 * good for this mail account (scope missing, or issued for another address).
 */
export function classifyTokenRefusal(text: string, challenge?: OAuthChallenge): ProbeFailureCode {
  for (const rule of TOKEN_RULES) {
    if (rule.pattern.test(text)) return rule.code;
  }
  if (challenge?.status === '400' || challenge?.status === '403') return 'oauth_scope_missing';
  return 'oauth_token_rejected';
}
