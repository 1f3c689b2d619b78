import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { serverCertificate } from './certs.ts';
import type { DovecotInstance } from './dovecot.ts';
import { HarnessError } from './errors.ts';
import { hasPasswdUser, oauthUsersFile, usersFile, verifyPasswdUser } from './passwd-file.ts';
import { freePort } from './ports.ts';

export interface SmtpOptions {
  dovecot: DovecotInstance;
  tls?: 'ca-signed' | 'self-signed';
  /**
   * AUTH XOAUTH2, the token checked against this userinfo endpoint (its `email` must be the SASL user).
   * `kind` shapes the refusal: 'google' (default) answers Gmail's `334` + base64 JSON challenge, then
   * `535 5.7.8` after the client's empty line; 'microsoft' answers `535 5.7.3 Authentication unsuccessful`.
   */
  oauth2?: { userinfoUrl: string; kind?: 'google' | 'microsoft' };
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** The authenticated user who submitted it. */
  user: string;
  /** When the message was taken (just before the 250 to its final dot). */
  receivedAt: Date;
}

/** A refusal the server gives instead of its usual answer (smtp.failNext). */
export interface InjectedFailure {
  /** MAIL FROM, RCPT TO, or the reply to the final dot (the message was read, then refused). */
  at: 'mail' | 'rcpt' | 'data';
  code: number;
  /** The reply's text after the code, e.g. '4.3.0 Try again later'. */
  message: string;
  /** How many commands of that kind it answers (default 1). */
  times?: number;
  /** at 'rcpt': only this recipient is refused (the others are accepted). */
  recipient?: string;
}

export interface SmtpInstance {
  host: '127.0.0.1';
  /** STARTTLS required before AUTH (587-style). */
  submissionPort: number;
  /** Implicit TLS (465-style). */
  smtpsPort: number;
  certPem: string;
  caPem?: string;
  fingerprint256: string;
  received: ReceivedMessage[];
  /** Microsoft 365's per-mailbox switch: a disabled user's XOAUTH2 gets `535 5.7.139 ... SmtpClientAuthentication is disabled`. */
  setSmtpAuthDisabled(email: string, disabled: boolean): void;
  /** The next `times` MAIL / RCPT / end-of-DATA answers are this refusal instead (queued in order). */
  failNext(failure: InjectedFailure): void;
  /** Messages received with this Message-ID header ("<…@…>"). */
  receivedWithMessageId(messageIdHeader: string): ReceivedMessage[];
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** True when the userinfo endpoint accepts the token and names `username` as its owner. */
async function checkToken(userinfoUrl: string, username: string, token: string): Promise<boolean> {
  const res = await fetch(userinfoUrl, { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 401 || res.status === 403) return false;
  if (!res.ok) throw new HarnessError('SMTP_USERINFO_FAILED', `userinfo answered ${res.status}`);
  const body = (await res.json()) as { email?: string };
  return typeof body.email === 'string' && body.email.toLowerCase() === username.toLowerCase();
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * Starts a submission server (STARTTLS, 587-style) and an SMTPS server (465-style). AUTH PLAIN/LOGIN
 * is checked against the Dovecot instance's users; accepted mail is delivered into the INBOX of
 * every recipient that is a Dovecot user and recorded in `received`.
 */
export async function startSmtp(opts: SmtpOptions): Promise<SmtpInstance> {
  const { dovecot } = opts;
  const cert = await serverCertificate(opts.tls ?? 'self-signed');
  const received: ReceivedMessage[] = [];
  const users = usersFile(dovecot.dir);
  const tokenUsers = oauthUsersFile(dovecot.dir);
  const smtpAuthDisabled = new Set<string>();
  const failures: Array<InjectedFailure & { left: number }> = [];
  /** The injected refusal for this command, used up as it is given. */
  const injected = (at: InjectedFailure['at'], recipient?: string): Error | null => {
    const f = failures.find((x) => x.at === at && (!x.recipient || x.recipient.toLowerCase() === recipient?.toLowerCase()));
    if (!f) return null;
    if (--f.left <= 0) failures.splice(failures.indexOf(f), 1);
    return smtpError(f.message, f.code);
  };
  const isMailUser = async (address: string): Promise<boolean> =>
    (await hasPasswdUser(users, address)) || (opts.oauth2 !== undefined && (await hasPasswdUser(tokenUsers, address)));

  async function deliver(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readStream(stream);
    if (stream.sizeExceeded) throw smtpError('Error: message exceeds fixed maximum message size', 552);
    const refusal = injected('data');
    if (refusal) throw refusal;
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const to = session.envelope.rcptTo.map((r) => r.address);
    for (const rcpt of to) {
      // Recipients that are not Dovecot users count as relayed: recorded, not stored.
      if (await isMailUser(rcpt)) await dovecot.append(rcpt, 'INBOX', raw);
    }
    received.push({ from, to, raw, user: String(session.user ?? ''), receivedAt: new Date() });
  }

  const common: SMTPServerOptions = {
    name: 'localhost',
    key: cert.keyPem,
    cert: cert.certPem,
    authMethods: opts.oauth2 ? ['PLAIN', 'LOGIN', 'XOAUTH2'] : ['PLAIN', 'LOGIN'],
    // No network beyond loopback: never look up the client's name.
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    // stop() should not wait long for a client that forgot to close its connection.
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      if (auth.method === 'XOAUTH2') {
        const oauth2 = opts.oauth2;
        if (!oauth2) return callback(smtpError('Error: XOAUTH2 not enabled', 504));
        const username = auth.username ?? '';
        checkToken(oauth2.userinfoUrl, username, auth.accessToken ?? '').then(
          (ok) => {
            if (!ok) {
              if (oauth2.kind === 'microsoft') return callback(smtpError('5.7.3 Authentication unsuccessful [harness]', 535));
              // Gmail: a 334 challenge with base64 JSON; smtp-server answers the client's empty line with 535.
              return callback(null, { data: { status: '401', schemes: 'Bearer', scope: 'https://mail.google.com/' } });
            }
            if (smtpAuthDisabled.has(username.toLowerCase())) {
              return callback(
                smtpError('5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. [harness]', 535),
              );
            }
            callback(null, { user: username });
          },
          () => callback(smtpError('Error: Temporary authentication failure', 454)),
        );
        return;
      }
      const username = auth.username ?? '';
      const password = auth.password ?? '';
      verifyPasswdUser(users, username, password).then(
        (ok) => (ok ? callback(null, { user: username }) : callback(smtpError('Error: Authentication credentials invalid', 535))),
        () => callback(smtpError('Error: Temporary authentication failure', 454)),
      );
    },
    onMailFrom(_address, _session, callback) {
      callback(injected('mail') ?? undefined);
    },
    onRcptTo(address, _session, callback) {
      callback(injected('rcpt', address.address) ?? undefined);
    },
    onData(stream, session, callback) {
      deliver(stream, session).then(
        () => callback(),
        (err: unknown) => {
          stream.resume();
          const code = (err as { responseCode?: number }).responseCode;
          callback(code ? (err as Error) : smtpError('Error: local delivery failed', 451));
        },
      );
    },
  };

  // Submission: AUTH is refused until STARTTLS (allowInsecureAuth false), as on port 587.
  const submission = new SMTPServer({ ...common, secure: false, allowInsecureAuth: false });
  const smtps = new SMTPServer({ ...common, secure: true });
  const servers = [submission, smtps];
  for (const server of servers) {
    server.on('error', () => {
      // Per-connection errors (client resets) surface here; the server itself keeps running.
    });
  }

  const listen = (server: SMTPServer, port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
  const closeAll = (): Promise<void> =>
    Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined);

  let submissionPort = 0;
  let smtpsPort = 0;
  try {
    submissionPort = await freePort();
    await listen(submission, submissionPort);
    smtpsPort = await freePort();
    await listen(smtps, smtpsPort);
  } catch (cause) {
    await closeAll();
    throw new HarnessError('SMTP_START_FAILED', 'cannot start the SMTP harness', { cause });
  }

  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    submissionPort,
    smtpsPort,
    certPem: cert.certPem,
    caPem: cert.caPem,
    fingerprint256: cert.fingerprint256,
    received,
    failNext(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 });
    },
    receivedWithMessageId(messageIdHeader) {
      const wanted = messageIdHeader.trim().toLowerCase();
      return received.filter((m) => {
        const header = /^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(
          m.raw.subarray(0, m.raw.indexOf('\r\n\r\n') + 1 || undefined).toString('latin1'),
        );
        return header?.[1]?.replace(/\s+/g, '').toLowerCase() === wanted;
      });
    },
    setSmtpAuthDisabled(email, disabled) {
      if (disabled) smtpAuthDisabled.add(email.toLowerCase());
      else smtpAuthDisabled.delete(email.toLowerCase());
    },
    stop() {
      stopping ??= closeAll();
      return stopping;
    },
  };
}
