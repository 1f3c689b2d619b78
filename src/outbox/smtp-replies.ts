import { TLS_ERROR_CODE } from '../connectors/network-errors.ts';
import { SendError } from './errors.ts';

/** What nodemailer's smtp-connection puts on its errors (NodemailerError). */
export interface SmtpFailure {
  code?: string;
  originalCode?: string;
  /** The server's reply line, when the failure is an answer. */
  response?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * Provider answers that mean "your sending limit is reached", each from the provider's own page:
 * - Gmail / Google Workspace `550 5.4.5 Daily user sending limit exceeded` (and the SMTP relay variant):
 *   https://support.google.com/a/answer/3726730 (SMTP error reference)
 * - Exchange Online / Outlook.com `5.1.90` "you've reached your daily limit for message recipients":
 *   https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-5-1-90-through-5-1-99-in-exchange-online
 * - Exchange Online `554 5.2.2 … SubmissionQuotaExceededException` (submission quota):
 *   https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-5-2-2-in-exchange-online
 * Chinese providers' quota answers are left out until a page of theirs can be cited.
 */
const QUOTA_ANSWERS: RegExp[] = [/\b5\.4\.5\b.*(limit|quota)/i, /\b5\.1\.90\b/, /SubmissionQuotaExceeded/i];

function isTls(f: SmtpFailure): boolean {
  return f.code === 'ETLS' || TLS_ERROR_CODE.test(f.originalCode ?? '') || TLS_ERROR_CODE.test(f.code ?? '');
}

/**
 * One SMTP failure as the outbox sees it: the server's answer decides (4xx temporary; 535/534 sign-in;
 * 552 or 5.3.4 too large; a cited quota answer; other 5xx rejected); without an answer, TLS failures
 * are permanent (someone must pin or fix the certificate) and every other network failure is temporary.
 */
export function sendErrorFromSmtp(err: unknown): SendError {
  if (err instanceof SendError) return err;
  const f = (err ?? {}) as SmtpFailure;
  const reply = typeof f.response === 'string' ? f.response.trim().slice(0, 1000) : null;
  const status = f.responseCode ?? (reply ? Number(/^(\d{3})/.exec(reply)?.[1]) : Number.NaN);
  const cause = err;
  if (reply && Number.isFinite(status)) {
    const at = f.command ? ` (at ${f.command})` : '';
    if (status >= 400 && status < 500) {
      return new SendError('send_temporary', `The mail server asked to try later${at}: ${reply}`, {
        temporary: true,
        serverResponse: reply,
        cause,
      });
    }
    if (status === 535 || status === 534 || (f.code === 'EAUTH' && status >= 500)) {
      return new SendError('send_auth_failed', `The mail server refused the sign-in: ${reply}`, {
        temporary: false,
        serverResponse: reply,
        cause,
      });
    }
    if (status === 552 || /\b5\.3\.4\b/.test(reply)) {
      return new SendError('send_too_large', `The mail server refused the message as too large: ${reply}`, {
        temporary: false,
        serverResponse: reply,
        cause,
      });
    }
    if (QUOTA_ANSWERS.some((re) => re.test(reply))) {
      return new SendError('send_quota_exceeded', `The provider's sending limit is reached: ${reply}`, {
        temporary: false,
        serverResponse: reply,
        cause,
      });
    }
    return new SendError('send_rejected', `The mail server refused the message${at}: ${reply}`, {
      temporary: false,
      serverResponse: reply,
      cause,
    });
  }
  if (isTls(f)) {
    return new SendError('send_tls_failed', `The secure connection to the mail server failed: ${f.message ?? 'TLS error'}`, {
      temporary: false,
      cause,
    });
  }
  if (f.code === 'EAUTH') {
    // No answer: the token could not be had (the sign-in helper decides whether that is for good).
    // nodemailer keeps the token source's error and moves its code to originalCode.
    const permanent = f.originalCode === 'oauth_revoked';
    return new SendError(permanent ? 'send_auth_failed' : 'send_temporary', `Signing in to the mail server failed: ${f.message ?? ''}`, {
      temporary: !permanent,
      cause,
    });
  }
  return new SendError(
    'send_temporary',
    `The connection to the mail server failed (${f.originalCode ?? f.code ?? 'error'}): ${f.message ?? ''}`,
    {
      temporary: true,
      cause,
    },
  );
}
