import type { ProbeFailureCode } from './types.ts';

interface Rule {
  code: ProbeFailureCode;
  pattern: RegExp;
  smtpCodes?: number[];
}

/**
 * What a refusal means, from the reply text (liberally: providers word the same thing many ways,
 * sometimes in Chinese). Order matters: the first rule that matches wins, so specific wordings come
 * before the general "login failed".
 */
const RULES: Rule[] = [
  // NetEase (163/126/yeah/188) on SELECT when the client did not send IMAP ID.
  { code: 'unsafe_login_needs_id', pattern: /unsafe login/i },
  {
    code: 'plaintext_refused',
    pattern:
      /PRIVACYREQUIRED|plaintext auth\w*\s+(is\s+)?(disallowed|not allowed|disabled)|must issue a starttls|starttls (command )?(first|required)|encryption required|requires? (a )?(tls|ssl|secure connection|encryption)/i,
    smtpCodes: [538],
  },
  {
    code: 'auth_method_unsupported',
    pattern:
      /basic auth\w*\s+is\s+disabled|\[CANNOT\]|unrecognized authentication type|(unsupported|unknown|invalid) (authentication |auth |sasl )?mechanism|mechanism (is )?(not supported|unsupported|too weak)|authentication mechanism is not supported/i,
    smtpCodes: [504],
  },
  {
    code: 'imap_disabled_by_provider',
    pattern:
      /not (been )?(enabled|open(ed)?|activated)|service is (disabled|closed|not open)|(imap|smtp|pop3?|client|access)\b.{0,40}\b(disabled|not allowed|closed|forbidden)|no permission|user suspended|SmtpClientAuthentication is disabled|未开启|未开通|没有开启|没有开通|未启用|服务已关闭/i,
  },
  {
    code: 'auth_failed',
    pattern:
      /authori[sz](ed|ation) code|授权码|application-specific password|app(lication)? password|web ?login required|log ?in via your web browser|weixin token/i,
  },
  {
    code: 'rate_limited',
    pattern: /\[(UNAVAILABLE|LIMIT|THROTTLED|INUSE)\]|too many|frequen|rate.?limit|try (again )?later|exceeded|throttl|频繁|稍后/i,
    smtpCodes: [421, 450, 452],
  },
  {
    code: 'auth_failed',
    pattern:
      /AUTHENTICATIONFAILED|AUTHORIZATIONFAILED|login fail|login error|invalid (credentials|login|password|user|username)|authentication (failed|unsuccessful)|(password|credentials)\b.{0,20}\b(error|incorrect|wrong|invalid|not accepted)|bad (password|credentials)|密码错误|认证失败|登录失败/i,
    smtpCodes: [535],
  },
];

/**
 * Classifies a refusal. `fallback` is what a refusal at this stage means when the text says nothing
 * more specific (auth → auth_failed, select → mailbox_unavailable, send → send_failed, …).
 */
export function classifyReply(text: string, fallback: ProbeFailureCode, smtpCode?: number): ProbeFailureCode {
  for (const rule of RULES) {
    if (rule.pattern.test(text)) return rule.code;
  }
  for (const rule of RULES) {
    if (smtpCode !== undefined && rule.smtpCodes?.includes(smtpCode)) return rule.code;
  }
  // 534 without a recognised text: Gmail's "mechanism too weak" / "web login required" family.
  if (smtpCode === 534) return 'auth_method_unsupported';
  return fallback;
}

/** A provider named by its own reply, for servers reached under a custom host name. */
export function providerHintFromReply(text: string): string | undefined {
  if (/authori[sz]ed code|weixin token|service\.mail\.qq\.com|请使用授权码/i.test(text)) return 'qq';
  if (/kefu@188\.com|unsafe login/i.test(text)) return 'netease163';
  if (/support\.google\.com|\(Failure\)$/i.test(text)) return 'gmail';
  return undefined;
}
