import { randomBytes } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createLogger } from '../../src/app/logger.ts';
import type { DatabaseKind } from '../../src/db/index.ts';
import { mailSenderFactory, type SenderFactory } from '../../src/outbox/sender-factory.ts';
import type { OutboxRow, OutboxState } from '../../src/outbox/tables.ts';
import { type OutboxWorker, type OutboxWorkerOptions, startOutboxWorker } from '../../src/outbox/worker.ts';
import type { AccessTokenSource } from '../../src/sync/access-token-source.ts';
import { mailConnectorFactory } from '../../src/sync/connector-factory.ts';
import { type SmtpInstance, startDovecot, startSmtp } from '../harness/index.ts';
import { asUser, imapClientOf } from './imap.ts';
import { insertServerMailbox } from './rows.ts';
import { startSyncEnv, type SyncEnv } from './sync-env.ts';
import { waitFor } from './wait.ts';

/** What a test queues: a message built with nodemailer's MailComposer (Bcc left out of the source). */
export interface QueuedSpec {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  text?: string;
  attachments?: Array<{ filename: string; content: Buffer }>;
  /** Default now: due at once. */
  sendAt?: Date;
  kind?: OutboxRow['kind'];
  sourceMessageId?: string;
}

export interface OutboxEnv {
  env: SyncEnv;
  smtp: SmtpInstance;
  mailboxId: string;
  email: string;
  password: string;
  senderFor: SenderFactory;
  /** Inserts a queued row (as compose does) and announces it on the bus. */
  queue(spec?: QueuedSpec): Promise<{ id: string; messageIdHeader: string; raw: Buffer }>;
  /** A worker on the test app's services with test-short intervals; stopped by close(). */
  worker(opts?: Partial<OutboxWorkerOptions>): OutboxWorker;
  row(id: string): Promise<OutboxRow>;
  waitForState(id: string, state: OutboxState, ms?: number): Promise<OutboxRow>;
  /** Copies of the Message-ID in the user's Sent folder on Dovecot, asked over a separate IMAP session. */
  sentCopies(messageIdHeader: string): Promise<number>;
  /** The Sent folder's UIDNEXT: it moves on with every APPEND, even of a copy removed since. */
  sentUidNext(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The sync test app (PGlite or PostgreSQL) with Dovecot, the SMTP harness and one mailbox bound to both.
 * With `oauth`, Dovecot and the SMTP server check tokens at that userinfo endpoint, the user is a token
 * user and the mailbox is bound with auth_kind oauth2, signing in with `oauth.tokens` (IMAP and SMTP).
 */
export async function startOutboxEnv(
  kind: DatabaseKind,
  opts: { email?: string; oauth?: { userinfoUrl: string; tokens: AccessTokenSource } } = {},
): Promise<OutboxEnv> {
  const dovecot = opts.oauth ? await startDovecot({ oauth2: { userinfoUrl: opts.oauth.userinfoUrl } }) : undefined;
  const env = await startSyncEnv(kind, { dovecot });
  const smtp = await startSmtp({ dovecot: env.dovecot, ...(opts.oauth ? { oauth2: { userinfoUrl: opts.oauth.userinfoUrl } } : {}) });
  const email = opts.email ?? `sender-${randomBytes(3).toString('hex')}@example.test`;
  const password = 'pw-outbox';
  let mailboxId: string;
  if (opts.oauth) {
    await env.dovecot.addOAuthUser(email);
    mailboxId = await insertServerMailbox(env.db.db, env.services.vault, env.dovecot, {
      ownerUserId: env.adminId,
      email,
      password: 'unused',
    });
    await env.db.db.updateTable('mailboxes').set({ auth_kind: 'oauth2', secret_id: null }).where('id', '=', mailboxId).execute();
  } else mailboxId = await env.bindMailbox(email, password);
  await env.db.db
    .updateTable('mailboxes')
    .set({ smtp_host: smtp.host, smtp_port: smtp.smtpsPort, smtp_security: 'tls', smtp_pinned_cert: smtp.certPem })
    .where('id', '=', mailboxId)
    .execute();
  const tokens = opts.oauth?.tokens;
  const allowAll = async () => undefined;
  const senderFor = mailSenderFactory({ vault: env.services.vault, tokens, checkHost: allowAll });
  const connectorFor = tokens
    ? mailConnectorFactory({ vault: env.services.vault, tokens, checkHost: allowAll })
    : env.services.connectorFor;
  const workers: OutboxWorker[] = [];
  const db = env.db.db;
  const row = (id: string) => db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return {
    env,
    smtp,
    mailboxId,
    email,
    password,
    senderFor,
    async queue(spec = {}) {
      const messageIdHeader = `<${randomBytes(8).toString('hex')}@tidings.test>`;
      const to = spec.to ?? ['ann@customer.test'];
      const cc = spec.cc ?? [];
      const bcc = spec.bcc ?? [];
      const raw = await new MailComposer({
        from: email,
        to,
        cc,
        bcc,
        subject: spec.subject ?? 'Quote for next week',
        text: spec.text ?? 'Hello Ann,\r\n\r\nthe quote is attached.\r\n',
        messageId: messageIdHeader,
        date: new Date(),
        attachments: spec.attachments,
      })
        .compile()
        .build();
      const sha = await env.services.blobs.put(raw);
      const addr = (list: string[]) => JSON.stringify(list.map((address) => ({ name: null, address })));
      const inserted = await db
        .insertInto('outbox_messages')
        .values({
          mailbox_id: mailboxId,
          created_by: env.adminId,
          state: 'queued',
          kind: spec.kind ?? 'new',
          source_message_id: spec.sourceMessageId ?? null,
          message_id_header: messageIdHeader,
          from: JSON.stringify({ name: null, address: email }),
          to: addr(to),
          cc: addr(cc),
          bcc: addr(bcc),
          subject: spec.subject ?? 'Quote for next week',
          attachments: '[]',
          raw_sha256: sha,
          raw_size: raw.length,
          send_at: spec.sendAt ?? new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      env.services.events.emit('outbox.updated', { outboxId: inserted.id, mailboxId, userId: env.adminId, state: 'queued' });
      return { id: inserted.id, messageIdHeader, raw };
    },
    worker(over = {}) {
      const w = startOutboxWorker({
        db,
        log: createLogger('warn'),
        events: env.services.events,
        blobs: env.services.blobs,
        connectorFor,
        senderFor,
        leaseTtlMs: 3_000,
        pollMs: 200,
        retryDelaysMs: [200],
        giveUpAfterMs: 60_000,
        ...over,
      });
      workers.push(w);
      w.start();
      return w;
    },
    row,
    async waitForState(id, state, ms = 30_000) {
      let last: OutboxRow | undefined;
      await waitFor(
        `outbox row ${id} to be ${state}`,
        async () => {
          last = await row(id);
          if (last.state !== state)
            throw new Error(`state ${last.state}, phase ${last.phase}, ${last.last_error_code}: ${last.last_error}`);
          return true;
        },
        ms,
      );
      return last!;
    },
    sentUidNext() {
      return asUser(env.dovecot, email, password, async (c) => {
        const status = await c.status('Sent', { uidNext: true });
        return status ? Number(status.uidNext) : Number.NaN;
      });
    },
    async sentCopies(messageIdHeader) {
      const count = async (c: ImapFlow) => {
        await c.mailboxOpen('Sent');
        const uids = await c.search({ header: { 'message-id': messageIdHeader } }, { uid: true });
        return (uids || []).length;
      };
      if (!tokens) return asUser(env.dovecot, email, password, count);
      const mailbox = await db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
      const c = imapClientOf(env.dovecot, { user: email, accessToken: await tokens.accessTokenFor(mailbox) });
      await c.connect();
      try {
        return await count(c);
      } finally {
        await c.logout().catch(() => c.close());
      }
    },
    async close() {
      for (const w of workers) await w.stop().catch(() => undefined);
      await smtp.stop();
      await env.close();
      await dovecot?.stop();
    },
  };
}
