import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DsnReport } from './dsn-parser.ts';

type Db = Kysely<Database> | Transaction<Database>;

const MAX_REASON_CHARS = 500;

/** A stored message worth reading as a report. */
export interface BounceCandidate {
  id: string;
  mailbox_id: string;
  raw_sha256: string;
  date: Date | null;
}

// Cheap signs on stored columns; only messages showing one have their source read and parsed.
const MACHINE_FROM = '^(mailer-?daemon|postmaster|microsoftexchange[0-9a-f]*)@';
const BOUNCE_SUBJECT =
  '(undeliver|returned mail|returned to sender|delivery status notification|failure notice|delivery (has )?failed|mail delivery|delivery failure|not delivered|delayed mail|delivery delayed|non-?delivery|退信|退回|未能送达|无法送达|投递失败|发送失败)';
const REPORT_PART_TYPES = ['text/rfc822-headers', 'message/global-headers', 'message/delivery-status', 'message/global-delivery-status'];

/**
 * Of these new messages, those that may be delivery reports: from a mail system's address, Auto-Submitted,
 * a bounce subject, or a returned-headers part. Messages already read as reports, sent from Tidings, or
 * stored without their source (over the size cap) are left out.
 */
export async function bounceCandidates(db: Db, ids: string[]): Promise<BounceCandidate[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('messages as m')
    .select(['m.id', 'm.mailbox_id', 'm.raw_sha256', 'm.date'])
    .where('m.id', '=', sql<string>`any(${ids}::uuid[])`)
    .where('m.too_large', '=', false)
    .where('m.outbox_id', 'is', null)
    .where(sql<boolean>`not exists (select 1 from message_bounces b where b.report_message_id = m.id)`)
    .where(
      sql<boolean>`(
        (m.auto_submitted is not null and m.auto_submitted <> 'no')
        or exists (select 1 from jsonb_array_elements(m."from") f where f->>'address' ~* ${MACHINE_FROM})
        or coalesce(m.subject, '') ~* ${BOUNCE_SUBJECT}
        or exists (select 1 from attachments a where a.message_id = m.id and a.content_type = any(${REPORT_PART_TYPES}::text[]))
      )`,
    )
    .execute();
}

export interface RecordedBounce {
  /** Lines stored now (a replayed report stores none). */
  inserted: number;
  /** The message it bounced, when found in the same mailbox. */
  originalMessageId: string | null;
}

/**
 * Stores a report's lines, linked to the message of the same mailbox with that Message-ID (preferring the
 * row Tidings sent) and to the outbox row that minted it. Only lines stored now touch contacts, so a
 * replayed report changes nothing: 'failed' marks the address bouncing, 'delivered' clears an older mark.
 */
export async function recordBounce(db: Kysely<Database>, report: BounceCandidate, dsn: DsnReport): Promise<RecordedBounce> {
  return db.transaction().execute(async (trx) => {
    const header = dsn.originalMessageId;
    const original = header
      ? await trx
          .selectFrom('messages')
          .select(['id', 'outbox_id'])
          .where('mailbox_id', '=', report.mailbox_id)
          .where('message_id_header', '=', header)
          .where('id', '<>', report.id)
          .orderBy(sql`outbox_id is null`)
          .orderBy('created_at')
          .limit(1)
          .executeTakeFirst()
      : undefined;
    const outboxId = header
      ? (original?.outbox_id ??
        (
          await trx
            .selectFrom('outbox_messages')
            .select('id')
            .where('mailbox_id', '=', report.mailbox_id)
            .where('message_id_header', '=', header)
            .executeTakeFirst()
        )?.id ??
        null)
      : null;
    const fallbackAt = dsn.arrivalAt ?? report.date ?? new Date();
    const inserted = await trx
      .insertInto('message_bounces')
      .values(
        dsn.recipients.map((r) => ({
          report_message_id: report.id,
          original_message_id: original?.id ?? null,
          outbox_id: outboxId,
          original_message_id_header: header,
          recipient: r.recipient,
          action: r.action,
          status: r.status,
          diagnostic: r.diagnostic,
          reported_at: r.lastAttemptAt ?? fallbackAt,
        })),
      )
      .onConflict((oc) => oc.columns(['report_message_id', 'recipient']).doNothing())
      .returning(['recipient', 'action', 'status', 'diagnostic', 'reported_at'])
      .execute();
    for (const line of inserted) {
      const at = line.reported_at ?? fallbackAt;
      if (line.action === 'failed') await markBouncing(trx, line.recipient, at, reasonOf(line));
      else if (line.action === 'delivered') await clearBouncing(trx, line.recipient, at);
    }
    return { inserted: inserted.length, originalMessageId: original?.id ?? null };
  });
}

function reasonOf(line: { status: string | null; diagnostic: string | null }): string | null {
  const reason = line.diagnostic ?? line.status;
  return reason ? reason.slice(0, MAX_REASON_CHARS) : null;
}

/**
 * Marks an address bouncing as of `at`, unless a newer mark stands or mail from that address arrived after
 * `at` (an old report found while importing years of mail does not outlive the person's later replies).
 */
async function markBouncing(trx: Transaction<Database>, address: string, at: Date, reason: string | null): Promise<void> {
  await trx
    .updateTable('contact_emails')
    .set({ bouncing_at: at, bounce_reason: reason })
    .where('address', '=', address)
    .where((eb) => eb.or([eb('bouncing_at', 'is', null), eb('bouncing_at', '<', at)]))
    .where(
      sql<boolean>`not exists (
        select 1 from messages m
        where m.participants @> array[${address}]::text[] and m.date > ${at}
          and m."from" @> jsonb_build_array(jsonb_build_object('address', ${address}::text))
      )`,
    )
    .execute();
}

async function clearBouncing(trx: Transaction<Database>, address: string, after: Date): Promise<void> {
  await trx
    .updateTable('contact_emails')
    .set({ bouncing_at: null, bounce_reason: null })
    .where('address', '=', address)
    .where('bouncing_at', '<', after)
    .execute();
}

/**
 * Mail received from a bouncing address, dated after the bounce, proves it works again: the mark goes.
 * Returns the addresses cleared.
 */
export async function clearBouncingBySenders(db: Db, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('contact_emails as e')
    .set({ bouncing_at: null, bounce_reason: null })
    .from(
      sql<{ address: string; date: Date }>`(
      select f->>'address' as address, m.date
      from messages m, jsonb_array_elements(m."from") f
      where m.id = any(${ids}::uuid[]) and m.date is not null
    )`.as('s'),
    )
    .whereRef('e.address', '=', 's.address')
    .where('e.bouncing_at', 'is not', null)
    .where(sql<boolean>`s.date > e.bouncing_at`)
    .returning('e.address')
    .execute();
  return rows.map((r) => r.address);
}

/**
 * Reports stored before the message they are about (a DSN in INBOX synced before the Sent copy): new
 * messages take up the lines waiting for their Message-ID in the same mailbox. Returns the messages linked.
 */
export async function linkWaitingReports(db: Db, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('message_bounces as b')
    .set({
      original_message_id: sql`m.id`,
      outbox_id: sql`coalesce(b.outbox_id, m.outbox_id)`,
    })
    .from('messages as m')
    .innerJoin('messages as r', (j) => j.onRef('r.mailbox_id', '=', 'm.mailbox_id'))
    .where('m.id', '=', sql<string>`any(${ids}::uuid[])`)
    .where('m.message_id_header', 'is not', null)
    .where('b.original_message_id', 'is', null)
    .whereRef('b.original_message_id_header', '=', 'm.message_id_header')
    .whereRef('r.id', '=', 'b.report_message_id')
    .whereRef('r.id', '<>', 'm.id')
    .returning('m.id')
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}
