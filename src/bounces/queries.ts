import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type MailAccess, hiddenByBlocklist, readableMailboxes } from '../store/visibility.ts';

/** One recipient's line as the API shows it (bounceSchema in api/routes/outbox-schemas.ts). */
export interface BounceView {
  recipient: string;
  action: string;
  status: string | null;
  diagnostic: string | null;
  reportedAt: string | null;
  reportMessageId: string;
}

export interface BounceFacts {
  /** Reports about this message, one line per recipient. */
  bounces: BounceView[];
  /** This message is a report: the message it is about (null ids when that one is not stored). */
  bounceOf: { messageId: string | null; subject: string | null; recipients: BounceView[] } | null;
}

const NONE: BounceFacts = { bounces: [], bounceOf: null };

type Line = {
  recipient: string;
  action: string;
  status: string | null;
  diagnostic: string | null;
  reported_at: Date | null;
  report_message_id: string;
};

const view = (l: Line): BounceView => ({
  recipient: l.recipient,
  action: l.action,
  status: l.status,
  diagnostic: l.diagnostic,
  reportedAt: l.reported_at ? new Date(l.reported_at).toISOString() : null,
  reportMessageId: l.report_message_id,
});

const LINE_COLUMNS = ['recipient', 'action', 'status', 'diagnostic', 'reported_at', 'report_message_id'] as const;

/**
 * The bounce facts of one message for a reader with `access` to its mailbox. Reports and the message they
 * are about are in the same mailbox, so the reader's access is the same for both; the servers' answers are
 * message content, so only full readers see them (others get none).
 */
export async function bounceFacts(
  db: Kysely<Database>,
  userId: string,
  message: { id: string; mailbox_id: string },
  access: MailAccess,
): Promise<BounceFacts> {
  if (access !== 'full') return NONE;
  const [about, reported] = await Promise.all([
    db
      .selectFrom('message_bounces')
      .select(LINE_COLUMNS)
      .where('original_message_id', '=', message.id)
      .orderBy('reported_at')
      .orderBy('recipient')
      .execute(),
    db
      .selectFrom('message_bounces')
      .select([...LINE_COLUMNS, 'original_message_id'])
      .where('report_message_id', '=', message.id)
      .orderBy('recipient')
      .execute(),
  ]);
  let bounceOf: BounceFacts['bounceOf'] = null;
  if (reported.length) {
    const originalId = reported.find((r) => r.original_message_id)?.original_message_id ?? null;
    const original = originalId
      ? await db
          .selectFrom('messages')
          .select(['id', 'subject', 'participants'])
          .where('id', '=', originalId)
          .where('mailbox_id', '=', message.mailbox_id)
          .executeTakeFirst()
      : undefined;
    const shown = original && !(await hiddenByBlocklist(db, userId, original.participants)) ? original : null;
    bounceOf = { messageId: shown?.id ?? null, subject: shown?.subject ?? null, recipients: reported.map(view) };
  }
  return { bounces: about.map(view), bounceOf };
}

export interface BounceMark {
  bouncingAt: string | null;
  bounceReason: string | null;
}

/**
 * Bouncing marks of addresses as one reader may see them: an address's mark shows only to readers who see
 * in full a mailbox holding a failed report for it (the mark is a fact of that mailbox's mail).
 */
export async function bounceMarksFor(db: Kysely<Database>, userId: string, addresses: string[]): Promise<Map<string, BounceMark>> {
  const out = new Map<string, BounceMark>();
  if (!addresses.length) return out;
  const full = [...(await readableMailboxes(db, userId))].filter(([, a]) => a === 'full').map(([id]) => id);
  if (!full.length) return out;
  const rows = await db
    .selectFrom('contact_emails as e')
    .select(['e.address', 'e.bouncing_at', 'e.bounce_reason'])
    .where('e.address', '=', sql<string>`any(${addresses}::text[])`)
    .where('e.bouncing_at', 'is not', null)
    .where(
      sql<boolean>`exists (
        select 1 from message_bounces b join messages r on r.id = b.report_message_id
        where b.recipient = e.address and b.action = 'failed' and r.mailbox_id = any(${full}::uuid[])
      )`,
    )
    .execute();
  for (const r of rows)
    out.set(r.address, { bouncingAt: r.bouncing_at ? new Date(r.bouncing_at).toISOString() : null, bounceReason: r.bounce_reason });
  return out;
}

/** Contacts as presented, with each address's bouncing mark filled in as `userId` may see it. */
export async function withBounceMarks<C extends { emails: Array<{ address: string } & BounceMark> }>(
  db: Kysely<Database>,
  userId: string,
  contacts: C[],
): Promise<C[]> {
  const marks = await bounceMarksFor(
    db,
    userId,
    contacts.flatMap((c) => c.emails.map((e) => e.address)),
  );
  if (!marks.size) return contacts;
  return contacts.map((c) => ({
    ...c,
    emails: c.emails.map((e) => ({ ...e, ...(marks.get(e.address) ?? { bouncingAt: null, bounceReason: null }) })),
  }));
}
