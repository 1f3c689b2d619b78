import { withBccHeader } from '../../outbox/bcc-header.ts';
import { SendError } from '../../outbox/errors.ts';
import type { MailSender, Submission, SubmitHooks, SubmitResult } from '../../outbox/sender-types.ts';
import { sendErrorOf } from '../send-errors.ts';
import { EwsClient } from './ews-client.ts';
import { EwsHttp } from './ews-http.ts';
import type { EwsConnectorOptions } from './index.ts';
import type { ResponseMessage } from './soap.ts';

export type EwsSenderOptions = Pick<
  EwsConnectorOptions,
  'url' | 'username' | 'password' | 'pinnedCertPem' | 'extraCaPems' | 'allowPlaintext'
> & { timeoutMs?: number };

/** Response codes about the message or the mailbox's limits, and what each means for the outbox. */
const TEMPORARY_CODES = new Set([
  'ErrorServerBusy',
  'ErrorInternalServerError',
  'ErrorInternalServerTransientError',
  'ErrorTimeoutExpired',
  'ErrorMailboxMoveInProgress',
  'ErrorMailboxStoreUnavailable',
  'ErrorConnectionFailed',
]);
const QUOTA_CODES = new Set(['ErrorQuotaExceeded', 'ErrorSubmissionQuotaExceeded', 'ErrorExceededMessageLimit']);

/**
 * Sends through Exchange Web Services: CreateItem with MessageDisposition SendAndSaveCopy and the MIME
 * source as MimeContent, so Exchange sends it and saves it to Sent Items with our Message-ID. A GetFolder
 * of Sent Items first signs the connection in (NTLM binds to it), so the CreateItem is the final go alone.
 */
export class EwsSender implements MailSender {
  readonly savesSentCopy = true;
  private readonly client: EwsClient;

  constructor(opts: EwsSenderOptions) {
    this.client = new EwsClient(new EwsHttp(opts));
  }

  async submit(submission: Submission, hooks: SubmitHooks): Promise<SubmitResult> {
    const mime = withBccHeader(submission.raw, submission.recipients);
    let answer: ResponseMessage;
    try {
      await this.client.getFolders(['sentitems']);
      await hooks.connected();
      await hooks.beforeFinalGo();
      answer = await this.client.sendMime(mime);
    } catch (err) {
      throw sendErrorOf(err, 'EWS');
    }
    if (answer.ok) return { response: `${answer.code}: sent and saved to Sent Items`, rejected: [] };
    throw refusal(answer.code, answer.message);
  }

  async close(): Promise<void> {
    await this.client.http.close();
  }
}

/** A CreateItem response message with ResponseClass Error, as a SendError keeping Exchange's words. */
export function refusal(code: string, message: string): SendError {
  const serverResponse = message ? `${code}: ${message}` : code;
  const opts = { serverResponse };
  if (TEMPORARY_CODES.has(code)) {
    return new SendError('send_temporary', `Exchange could not take the message now: ${serverResponse}`, { ...opts, temporary: true });
  }
  if (code === 'ErrorMessageSizeExceeded') {
    return new SendError('send_too_large', `Exchange refused the message as too large: ${serverResponse}`, { ...opts, temporary: false });
  }
  if (QUOTA_CODES.has(code)) {
    // ErrorQuotaExceeded: the mailbox is over its storage quota, and Exchange sends nothing until space is freed.
    return new SendError('send_quota_exceeded', `Exchange refused to send over a mailbox limit: ${serverResponse}`, {
      ...opts,
      temporary: false,
    });
  }
  if (code === 'ErrorAccessDenied') {
    return new SendError('send_auth_failed', `Exchange refused to send for this user: ${serverResponse}`, { ...opts, temporary: false });
  }
  if (code === 'ErrorSendAsDenied') {
    return new SendError(
      'send_rejected',
      `Exchange refused the From address: this user may not send as it (${serverResponse}). An Exchange admin grants Send As, or the message is sent from the mailbox's own address.`,
      { ...opts, temporary: false },
    );
  }
  return new SendError('send_rejected', `Exchange refused the message: ${serverResponse}`, { ...opts, temporary: false });
}

export function createEwsSender(opts: EwsSenderOptions): MailSender {
  return new EwsSender(opts);
}
