import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { StoredAddress } from '../store/tables.ts';
import { canReadSubject, type MailAccess } from '../store/visibility.ts';

export interface UnansweredMessage {
  id: string;
  mailboxId: string;
  mailboxEmail: string;
  from: StoredAddress | null;
  /** Null when the reader may see only who and when of this mailbox. */
  subject: string | null;
  date: string;
  contact: { id: string; name: string } | null;
}

export interface UnansweredMail {
  total: number;
  items: UnansweredMessage[];
}

/** How far back "waiting for a reply" looks: older mail is history, not a to-do. */
export const UNANSWERED_WINDOW_DAYS = 30;

/**
 * Inbound messages older than `olderThan` (and younger than the window) whose thread has no later
 * message from the mailbox's own address and that the server does not flag as answered. Mailing lists,
 * bulk and automatic mail, mail in Junk or Trash, and mail the reader's blocklist hides (`notBlocked`)
 * are not waiting for anyone. Oldest first. The rule is kept per message as mail is stored
 * (mail_facts.awaiting, migration 2026-12-11-050), so this reads the window's facts, not its threads.
 */
export async function unansweredMail(
  db: Kysely<Database>,
  access: Map<string, MailAccess>,
  olderThan: Date,
  now: Date,
  notBlocked: RawBuilder<boolean> | null = null,
  limit = 50,
): Promise<UnansweredMail> {
  const mailboxIds = [...access.keys()];
  if (!mailboxIds.length) return { total: 0, items: [] };
  const windowStart = new Date(now.getTime() - UNANSWERED_WINDOW_DAYS * 86_400_000);
  const rows = await sql<{
    id: string;
    mailbox_id: string;
    mailbox_email: string;
    from: StoredAddress[];
    subject: string | null;
    date: Date;
    contact_id: string | null;
    contact_name: string | null;
    total: string;
  }>`
    select m.id, m.mailbox_id, mb.email as mailbox_email, m."from", m.subject, m.date,
      c.id as contact_id, c.name as contact_name, count(*) over () as total
    from mail_facts f
    join messages m on m.id = f.message_id
    join mailboxes mb on mb.id = m.mailbox_id
    left join contact_emails ce on ce.address = lower(m."from"->0->>'address')
    left join contacts c on c.id = ce.contact_id
    where f.mailbox_id = any(${mailboxIds}::uuid[])
      and f.date < ${olderThan.toISOString()}::timestamptz
      and f.date >= ${windowStart.toISOString()}::timestamptz
      and f.awaiting
      and ${notBlocked ?? sql`true`}
    order by f.date asc, f.message_id asc
    limit ${limit}
  `.execute(db);
  return {
    total: rows.rows.length ? Number(rows.rows[0]!.total) : 0,
    items: rows.rows.map((r) => ({
      id: r.id,
      mailboxId: r.mailbox_id,
      mailboxEmail: r.mailbox_email,
      from: r.from[0] ? { name: r.from[0].name, address: r.from[0].address } : null,
      subject: canReadSubject(access.get(r.mailbox_id) ?? null) ? r.subject : null,
      date: new Date(r.date).toISOString(),
      contact: r.contact_id && r.contact_name !== null ? { id: r.contact_id, name: r.contact_name } : null,
    })),
  };
}
