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
 * Over `m` (a message) and `mb` (its mailbox): inbound mail from a person (not a mailing list, bulk or
 * automatic mail, not in Junk or Trash, not a draft) that the server does not flag as answered and whose
 * thread has no later message from the mailbox's own address. The analytics' age buckets use it too.
 */
export const awaitingReplySql = sql<boolean>`(
  lower(coalesce(m."from"->0->>'address', '')) <> lower(mb.email)
  and not m.answered and not m.draft
  and m.list_id is null
  and coalesce(lower(m.precedence), '') not in ('bulk', 'list', 'junk')
  and coalesce(lower(m.auto_submitted), 'no') = 'no'
  and not exists (
    select 1 from message_folders mf join mail_folders f on f.id = mf.folder_id
    where mf.message_id = m.id and f.role in ('junk', 'trash'))
  and not exists (
    select 1 from messages r
    where r.mailbox_id = m.mailbox_id and r.thread_id = m.thread_id and r.date > m.date
      and lower(coalesce(r."from"->0->>'address', '')) = lower(mb.email))
)`;

/**
 * Inbound messages older than `olderThan` (and younger than the window) whose thread has no later
 * message from the mailbox's own address and that the server does not flag as answered. Mailing lists,
 * bulk and automatic mail, mail in Junk or Trash, and mail the reader's blocklist hides (`notBlocked`)
 * are not waiting for anyone. Oldest first.
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
    from messages m
    join mailboxes mb on mb.id = m.mailbox_id
    left join contact_emails ce on ce.address = lower(m."from"->0->>'address')
    left join contacts c on c.id = ce.contact_id
    where m.mailbox_id in (${sql.join(mailboxIds)})
      and m.date < ${olderThan.toISOString()}::timestamptz
      and m.date >= ${windowStart.toISOString()}::timestamptz
      and ${notBlocked ?? sql`true`}
      and ${awaitingReplySql}
    order by m.date asc, m.id asc
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
