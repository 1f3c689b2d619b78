import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppServices } from '../../src/api/context.ts';
import type { Database } from '../../src/db/schema.ts';
import type { ContactCreation, Visibility } from '../../src/mailboxes/tables.ts';

/** Rows for linking tests that need no IMAP server: a mailbox, and messages stored as the sync engine would. */
export async function insertMailbox(db: Kysely<Database>, ownerId: string, email: string, opts: { visibility?: Visibility; contactCreation?: ContactCreation } = {}): Promise<string> {
  const row = await db.insertInto('mailboxes').values({
    owner_user_id: ownerId, created_by: ownerId, email, provider_id: 'custom', imap_host: '127.0.0.1', imap_port: 993, imap_security: 'tls',
    username: email, auth_kind: 'password', secret_id: null, visibility: opts.visibility ?? 'private', contact_creation: opts.contactCreation ?? 'off',
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface MailSpec {
  from: string;
  to?: string[];
  cc?: string[];
  subject: string;
  text?: string;
  date?: string;
  threadId?: string;
  headers?: { list_id?: string; precedence?: string };
  attachment?: string;
}

const addr = (s: string) => {
  const m = /^(.*)<(.+)>$/.exec(s);
  return m ? { name: m[1]!.trim() || null, address: m[2]!.trim() } : { name: null, address: s };
};

/** Stores one message (and a thread for it unless given) and announces it on the bus like the sync engine. */
export async function insertMail(db: Kysely<Database>, services: AppServices, mailboxId: string, m: MailSpec): Promise<{ id: string; threadId: string }> {
  const threadId = m.threadId ?? (await db.insertInto('threads').values({ mailbox_id: mailboxId, thread_key: randomUUID(), subject: m.subject }).returning('id').executeTakeFirstOrThrow()).id;
  const from = [addr(m.from)];
  const to = (m.to ?? []).map(addr);
  const cc = (m.cc ?? []).map(addr);
  const row = await db.insertInto('messages').values({
    mailbox_id: mailboxId, subject: m.subject, date: new Date(m.date ?? Date.now()), from: JSON.stringify(from), to: JSON.stringify(to), cc: JSON.stringify(cc),
    bcc: '[]', reply_to: '[]', participants: [...from, ...to, ...cc].map((a) => a.address.toLowerCase()), text_body: m.text ?? null, snippet: (m.text ?? '').slice(0, 100),
    raw_sha256: randomUUID(), thread_id: threadId, list_id: m.headers?.list_id ?? null, precedence: m.headers?.precedence ?? null,
    has_attachments: !!m.attachment,
  }).returning('id').executeTakeFirstOrThrow();
  if (m.attachment) await db.insertInto('attachments').values({ message_id: row.id, position: 0, filename: m.attachment, content_type: 'application/pdf', size: 1, sha256: randomUUID() }).execute();
  services.events.emit('message.created', { mailboxId, messageId: row.id });
  await services.linker.idle();
  return { id: row.id, threadId };
}
