import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppServices } from '../../src/api/context.ts';
import type { Role } from '../../src/auth/users.ts';
import type { Database } from '../../src/db/index.ts';
import { backfillFrom } from '../../src/mailboxes/backfill.ts';
import type { Backfill, ContactCreation, Visibility } from '../../src/mailboxes/tables.ts';
import type { Vault } from '../../src/vault/index.ts';
import type { DovecotInstance } from '../harness/index.ts';
import type { MailSpec } from './message.ts';

/** Rows written straight into the database, for set-ups that need no API round trip or no IMAP server. */

/** A user who cannot sign in (the password hash is not one); default: an admin, owner@example.com. */
export async function insertUser(db: Kysely<Database>, opts: { email?: string; name?: string; role?: Role } = {}): Promise<string> {
  const user = await db
    .insertInto('users')
    .values({ email: opts.email ?? 'owner@example.com', name: opts.name ?? 'Owner', role: opts.role ?? 'admin', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return user.id;
}

export interface MailboxRowOptions {
  visibility?: Visibility;
  /** Default 'off', so rows alone create no contacts. */
  contactCreation?: ContactCreation;
}

interface MailboxColumns {
  ownerUserId: string;
  createdBy: string | null;
  email: string;
  imapPort: number;
  secretId: string | null;
  pinnedCertPem?: string;
  backfill?: Backfill;
  syncFolders?: string[];
  visibility?: Visibility;
  contactCreation?: ContactCreation;
}

async function mailboxRow(db: Kysely<Database>, c: MailboxColumns): Promise<string> {
  const row = await db
    .insertInto('mailboxes')
    .values({
      owner_user_id: c.ownerUserId,
      created_by: c.createdBy,
      email: c.email,
      provider_id: 'custom',
      imap_host: '127.0.0.1',
      imap_port: c.imapPort,
      imap_security: 'tls',
      username: c.email,
      auth_kind: 'password',
      secret_id: c.secretId,
      visibility: c.visibility ?? 'private',
      ...(c.contactCreation && { contact_creation: c.contactCreation }),
      ...(c.pinnedCertPem && { imap_pinned_cert: c.pinnedCertPem }),
      ...(c.backfill && { backfill: c.backfill, backfill_from: backfillFrom(c.backfill, new Date()) }),
      ...(c.syncFolders && { sync_folders: JSON.stringify(c.syncFolders) }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A mailbox row with no server behind it (port 993, no secret), for tests of what is done with stored mail. */
export function insertMailbox(db: Kysely<Database>, ownerId: string, email: string, opts: MailboxRowOptions = {}): Promise<string> {
  return mailboxRow(db, {
    ownerUserId: ownerId,
    createdBy: ownerId,
    email,
    imapPort: 993,
    secretId: null,
    visibility: opts.visibility,
    contactCreation: opts.contactCreation ?? 'off',
  });
}

/**
 * A mailbox on a harness IMAP server, stored as binding leaves it but without the connection test: for
 * the sync tests and the benchmark, which start their own sync. Returns its id.
 */
export async function insertServerMailbox(
  db: Kysely<Database>,
  vault: Vault,
  server: Pick<DovecotInstance, 'imapsPort' | 'certPem'>,
  opts: {
    ownerUserId: string;
    createdBy?: string;
    email: string;
    password: string;
    backfill?: Backfill;
    visibility?: Visibility;
    syncFolders?: string[];
  },
): Promise<string> {
  const secretId = await vault.put(db, { ownerType: 'mailbox', ownerId: null, kind: 'password' }, opts.password);
  return mailboxRow(db, {
    ownerUserId: opts.ownerUserId,
    createdBy: opts.createdBy ?? null,
    email: opts.email,
    imapPort: server.imapsPort,
    secretId,
    pinnedCertPem: server.certPem,
    backfill: opts.backfill ?? 'all',
    visibility: opts.visibility,
    syncFolders: opts.syncFolders,
  });
}

const addr = (s: string) => {
  const m = /^(.*)<(.+)>$/.exec(s);
  return m ? { name: m[1]!.trim() || null, address: m[2]!.trim() } : { name: null, address: s };
};
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Stores one message as the sync engine would (in a thread of its own unless `opts.threadId` names one; `List-Id` and `Precedence` from
 * `headers`; attachment rows without blobs) and announces it on the bus, then waits for
 * the linker.
 */
export async function insertMail(
  db: Kysely<Database>,
  services: AppServices,
  mailboxId: string,
  m: MailSpec,
  opts: { threadId?: string } = {},
): Promise<{ id: string; threadId: string }> {
  const threadId =
    opts.threadId ??
    (
      await db
        .insertInto('threads')
        .values({ mailbox_id: mailboxId, thread_key: randomUUID(), subject: m.subject })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const from = [addr(m.from)];
  const to = list(m.to).map(addr);
  const cc = list(m.cc).map(addr);
  const bcc = list(m.bcc).map(addr);
  const replyTo = list(m.replyTo).map(addr);
  const attachments = m.attachments ?? [];
  const date = new Date(m.date ?? Date.now());
  const row = await db
    .insertInto('messages')
    .values({
      mailbox_id: mailboxId,
      subject: m.subject,
      date,
      header_date: date,
      from: JSON.stringify(from),
      to: JSON.stringify(to),
      cc: JSON.stringify(cc),
      bcc: JSON.stringify(bcc),
      reply_to: JSON.stringify(replyTo),
      message_id_header: m.messageId ?? null,
      references: list(m.references),
      participants: [...new Set([...from, ...to, ...cc, ...bcc, ...replyTo].map((a) => a.address.toLowerCase()))],
      text_body: m.text ?? null,
      snippet: (m.text ?? '').slice(0, 100),
      raw_sha256: randomUUID(),
      thread_id: threadId,
      list_id: m.headers?.['List-Id'] ?? null,
      precedence: m.headers?.Precedence ?? null,
      has_attachments: attachments.length > 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (attachments.length) {
    await db
      .insertInto('attachments')
      .values(
        attachments.map((a, position) => ({
          message_id: row.id,
          position,
          filename: a.filename,
          content_type: a.contentType ?? 'application/octet-stream',
          size: a.content?.length ?? 1,
          sha256: randomUUID(),
        })),
      )
      .execute();
  }
  services.events.emit('message.created', { mailboxId, messageId: row.id });
  await services.linker.idle();
  return { id: row.id, threadId };
}
