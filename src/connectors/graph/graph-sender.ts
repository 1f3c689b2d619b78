import { withBccHeader } from '../../outbox/bcc-header.ts';
import { SendError } from '../../outbox/errors.ts';
import type { MailSender, Submission, SubmitHooks, SubmitResult } from '../../outbox/sender-types.ts';
import { sendErrorOf } from '../send-errors.ts';
import { ConnectorError } from '../types.ts';
import { GraphClient } from './graph-client.ts';
import { graphErrorOf } from './graph-errors.ts';
import type { GraphConnectorOptions } from './index.ts';

export type GraphSenderOptions = Pick<
  GraphConnectorOptions,
  'baseUrl' | 'user' | 'getAccessToken' | 'onAuthFailure' | 'pinnedCertPem' | 'extraCaPems'
> & {
  /** Graph refuses larger sendMail requests (4 MB); the base64 of the source is what counts. */
  maxRequestBytes?: number;
  timeoutMs?: number;
};

/** Microsoft Graph's request size limit; larger messages need an upload session, which this sender does not do. */
export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** The largest source that fits one sendMail request once base64-encoded, with room for a Bcc header. */
export const GRAPH_MAX_SOURCE_BYTES = Math.floor((GRAPH_MAX_REQUEST_BYTES * 3) / 4) - 4096;

/** Every 4xx and 5xx the client hands back instead of throwing (401, 429, 503 and 504 it handles itself). */
const ALL_ERRORS = Array.from({ length: 200 }, (_, i) => 400 + i);

const QUOTA_CODES = new Set(['ErrorSubmissionQuotaExceeded', 'ErrorQuotaExceeded', 'ErrorExceededMessageLimit']);
const TOO_LARGE_CODES = new Set(['ErrorMessageSizeExceeded', 'RequestEntityTooLarge', 'ErrorRequestEntityTooLarge']);

/**
 * Sends through Graph's sendMail with the MIME source (base64, `Content-Type: text/plain`), the way
 * Microsoft documents for MIME: Exchange Online keeps our Message-ID and saves the message to Sent Items
 * itself. One request, never repeated here: after an unclear end the outbox looks in Sent Items first.
 */
export class GraphSender implements MailSender {
  readonly savesSentCopy = true;
  private readonly client: GraphClient;
  private readonly userPath: string;

  constructor(private readonly opts: GraphSenderOptions) {
    this.client = new GraphClient({ ...opts, timeoutMs: opts.timeoutMs, maxInFlight: 1 });
    this.userPath = opts.user === 'me' ? 'me' : `users/${encodeURIComponent(opts.user)}`;
  }

  async submit(submission: Submission, hooks: SubmitHooks): Promise<SubmitResult> {
    const body = withBccHeader(submission.raw, submission.recipients).toString('base64');
    const limit = this.opts.maxRequestBytes ?? GRAPH_MAX_REQUEST_BYTES;
    if (body.length > limit) {
      throw new SendError(
        'send_too_large',
        `Microsoft Graph takes at most ${limit} bytes per message to send (${body.length} as base64): make the attachments smaller.`,
        { temporary: false },
      );
    }
    let answer: { status: number; json: Record<string, unknown> };
    try {
      // A token in hand is Graph's "connected": nothing else is opened before the one request.
      await this.opts.getAccessToken();
      await hooks.connected();
      await hooks.beforeFinalGo();
      answer = await this.client.json('POST', `/${this.userPath}/sendMail`, {
        operation: 'send a message',
        text: body,
        allow: ALL_ERRORS,
        once: true,
      });
    } catch (err) {
      if (err instanceof ConnectorError && err.extra.serverResponse?.startsWith('504')) throw unclear(err.extra.serverResponse, err);
      throw sendErrorOf(err, 'Graph sendMail');
    }
    if (answer.status < 300) return { response: `${answer.status} Accepted`, rejected: [] };
    throw refusal(answer.status, graphErrorOf(answer.json));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** An answer Graph gave to sendMail other than 202, as a SendError with Graph's words kept. */
export function refusal(status: number, error: { code: string; message: string }): SendError {
  const said = [error.code, error.message].filter(Boolean).join(': ');
  const serverResponse = `${status}${said ? ` ${said}` : ''}`;
  const opts = { serverResponse };
  if (QUOTA_CODES.has(error.code) || /sending limit|submission quota/i.test(error.message)) {
    return new SendError('send_quota_exceeded', `Microsoft 365 refused the message over a sending limit: ${serverResponse}`, {
      ...opts,
      temporary: false,
    });
  }
  if (status === 413 || TOO_LARGE_CODES.has(error.code)) {
    return new SendError('send_too_large', `Microsoft 365 refused the message as too large: ${serverResponse}`, {
      ...opts,
      temporary: false,
    });
  }
  if (status === 403 && error.code === 'ErrorAccessDenied') {
    // Reading works with Mail.ReadWrite; sending needs Mail.Send, which older sign-ins were not asked for.
    return new SendError(
      'send_auth_failed',
      `Microsoft 365 refused to send for this sign-in (${serverResponse}). The sign-in needs the Microsoft Graph permission Mail.Send: sign in to the mailbox again and allow it (an admin may need to grant it to the sign-in app first).`,
      { ...opts, temporary: false },
    );
  }
  if (status === 403 || error.code === 'MailboxNotEnabledForRESTAPI') {
    return new SendError('send_auth_failed', `Microsoft 365 refused to send from this mailbox: ${serverResponse}`, {
      ...opts,
      temporary: false,
    });
  }
  if (status >= 500) return unclear(serverResponse);
  return new SendError('send_rejected', `Microsoft 365 refused the message: ${serverResponse}`, { ...opts, temporary: false });
}

/**
 * A 5xx other than throttling (500, 502, 504): Graph may have sent the message before it failed. No
 * serverResponse, so the outbox treats it as an end without an answer and looks in Sent Items first.
 */
function unclear(said: string, cause?: unknown): SendError {
  return new SendError('send_temporary', `Microsoft 365 failed while taking the message (${said}); it may have been sent.`, {
    temporary: true,
    cause,
  });
}

export function createGraphSender(opts: GraphSenderOptions): MailSender {
  return new GraphSender(opts);
}
