import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { tlsOptionsFor } from '../connectors/tls-policy.ts';
import type { Security } from '../mailboxes/tables.ts';
import { SendError } from './errors.ts';
import type { MailSender, Submission, SubmitHooks, SubmitResult } from './sender-types.ts';
import { sendErrorFromSmtp } from './smtp-replies.ts';

export interface SmtpSenderOptions {
  host: string;
  port: number;
  security: Security;
  username: string;
  /** Password, authorization code or app password; unused with getAccessToken. */
  secret?: string;
  /** XOAUTH2: a token for the mailbox; `renew` after the server refused the last one. */
  getAccessToken?: (renew: boolean) => Promise<string>;
  pinnedCertPem: string | null;
  extraCaPems?: string[];
  /** An admin allowed this mailbox to talk without TLS. */
  allowPlaintext?: boolean;
  /** The provider's SMTP server files the Sent copy itself (catalogue `sending.savesSentCopy`). */
  savesSentCopy: boolean;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * The message body as a stream whose end waits for `beforeFinalGo`: nodemailer writes the closing dot
 * when its input ends, so the dot goes only once the hook resolved. `_read` is asked for more only
 * after what was given has been taken towards the socket, so by the time the hook runs the whole body
 * has been handed over.
 */
function heldBody(raw: Buffer, beforeFinalGo: () => Promise<void>, onHookError: (err: unknown) => void): Readable {
  const CHUNK = 64 * 1024;
  let offset = 0;
  let hooked = false;
  return new Readable({
    read() {
      if (offset < raw.length) {
        const end = Math.min(raw.length, offset + CHUNK);
        this.push(raw.subarray(offset, end));
        offset = end;
        return;
      }
      if (hooked) return;
      hooked = true;
      beforeFinalGo().then(
        () => this.push(null),
        (err) => {
          // Aborts before the dot: the server discards what it got.
          onHookError(err);
          this.destroy(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
  });
}

function promisify<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** XOAUTH2 initial response (user, Bearer token): the shape nodemailer's XOAuth2 builds. */
function xoauth2(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64');
}

/** A MailSender over SMTP (nodemailer's smtp-connection): one connection per message. */
export function createSmtpSender(opts: SmtpSenderOptions): MailSender {
  const open = new Set<SMTPConnection>();
  return {
    savesSentCopy: opts.savesSentCopy,
    async submit(submission: Submission, hooks: SubmitHooks): Promise<SubmitResult> {
      if (opts.security === 'plain' && !opts.allowPlaintext) {
        throw new SendError('send_tls_failed', 'This mailbox is set to send without TLS, which an admin has not allowed.', {
          temporary: false,
        });
      }
      const conn = new SMTPConnection({
        host: opts.host,
        port: opts.port,
        secure: opts.security === 'tls',
        requireTLS: opts.security === 'starttls',
        ignoreTLS: opts.security === 'plain',
        tls: tlsOptionsFor(opts.host, { pinnedCertPem: opts.pinnedCertPem, extraCaPems: opts.extraCaPems }),
        connectionTimeout: opts.connectionTimeoutMs ?? 30_000,
        greetingTimeout: opts.connectionTimeoutMs ?? 30_000,
        socketTimeout: opts.socketTimeoutMs ?? 120_000,
        allowInternalNetworkInterfaces: true,
        logger: false,
      });
      open.add(conn);
      // A hook's own failure (the database, the Sent folder) is not the server's: keep it as it is.
      let hookError: unknown = null;
      let connectionError: unknown = null;
      conn.on('error', (err) => {
        connectionError = err;
      });
      try {
        await promisify<void>((cb) => conn.connect((err) => cb(err ?? null)));
        if (opts.getAccessToken) {
          const getToken = opts.getAccessToken;
          await promisify<boolean>((cb) =>
            conn.login(
              {
                user: opts.username,
                method: 'XOAUTH2',
                oauth2: {
                  getToken: (renew: boolean, done: (err: Error | null, token?: string) => void) =>
                    getToken(renew).then(
                      (t) => done(null, t),
                      (e: Error) => done(e),
                    ),
                  buildXOAuth2Token: (token: string) => xoauth2(opts.username, token),
                } as never,
              },
              cb,
            ),
          );
        } else {
          await promisify<boolean>((cb) => conn.login({ user: opts.username, pass: opts.secret ?? '' }, cb));
        }
        await hooks.connected();
        const body = heldBody(submission.raw, hooks.beforeFinalGo, (err) => {
          hookError = err;
        });
        const info = await promisify<SMTPConnection.SentMessageInfo>((cb) =>
          conn.send({ from: submission.from, to: submission.recipients, size: submission.raw.length }, body, cb),
        );
        const rejected = (info.rejectedErrors ?? []).map((e) => ({
          address: String((e as { recipient?: string }).recipient ?? ''),
          response: String((e as { response?: string }).response ?? e.message),
        }));
        return { response: info.response, rejected };
      } catch (err) {
        if (hookError) throw hookError;
        throw sendErrorFromSmtp(err ?? connectionError);
      } finally {
        open.delete(conn);
        conn.quit();
        conn.close();
      }
    },
    async close() {
      for (const conn of open) conn.close();
      open.clear();
    },
  };
}
