import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findProviderById } from '../mailboxes/catalogue/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { GRAPH_MAX_SOURCE_BYTES } from '../connectors/graph/graph-sender.ts';
import { OutboxError } from './errors.ts';

export interface SendingLimits {
  perDay: number | null;
  maxMessageBytes: number | null;
}

/**
 * The provider's published limits (catalogue `sending`); null where it publishes none. A mailbox sending
 * over Graph is also held to what one sendMail request takes (GRAPH_MAX_SOURCE_BYTES).
 */
export function sendingLimits(row: Pick<MailboxRow, 'provider_id'> & Partial<Pick<MailboxRow, 'protocol'>>): SendingLimits {
  const sending = findProviderById(row.provider_id)?.sending;
  let maxMessageBytes = sending?.maxMessageBytes ?? null;
  if (row.protocol === 'graph') maxMessageBytes = Math.min(maxMessageBytes ?? GRAPH_MAX_SOURCE_BYTES, GRAPH_MAX_SOURCE_BYTES);
  return { perDay: sending?.perDay ?? null, maxMessageBytes };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Recipients the mailbox has used up in the rolling 24 hours: those of messages sent in it, and of messages
 * queued or being sent now (they will count once they go). `except` leaves out the row being queued.
 */
export async function recipientsInLastDay(
  db: Kysely<Database>,
  mailboxId: string,
  now: Date,
  except?: string,
): Promise<{ count: number; oldestSentAt: Date | null }> {
  const since = new Date(now.getTime() - DAY_MS);
  const row = await db
    .selectFrom('outbox_messages')
    .select([
      sql<string>`coalesce(sum(jsonb_array_length("to") + jsonb_array_length(cc) + jsonb_array_length(bcc)), 0)`.as('count'),
      sql<Date | null>`min(sent_at)`.as('oldest'),
    ])
    .where('mailbox_id', '=', mailboxId)
    .where((eb) => eb.or([eb.and([eb('state', '=', 'sent'), eb('sent_at', '>', since)]), eb('state', 'in', ['queued', 'sending'])]))
    .$if(except !== undefined, (q) => q.where('id', '<>', except!))
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldestSentAt: row.oldest ? new Date(row.oldest) : null };
}

/** Refuses a message over the provider's size limit (message_too_large). */
export function assertSize(limits: SendingLimits, sizeBytes: number): void {
  if (limits.maxMessageBytes !== null && sizeBytes > limits.maxMessageBytes)
    throw new OutboxError(
      'message_too_large',
      `The message is ${sizeBytes} bytes; this provider takes at most ${limits.maxMessageBytes} (attachments grow by a third when encoded).`,
      { details: { limitBytes: limits.maxMessageBytes, sizeBytes } },
    );
}

/**
 * Refuses (send_quota_reached) when this message's recipients would pass the daily quota. Retry-After is
 * when the oldest message sent in the window leaves it (at least a minute); the window may need longer.
 */
export async function assertQuota(
  db: Kysely<Database>,
  limits: SendingLimits,
  mailboxId: string,
  recipients: number,
  now: Date,
  except?: string,
): Promise<void> {
  if (limits.perDay === null) return;
  const used = await recipientsInLastDay(db, mailboxId, now, except);
  if (used.count + recipients <= limits.perDay) return;
  const frees = used.oldestSentAt ? used.oldestSentAt.getTime() + DAY_MS - now.getTime() : 3600_000;
  throw new OutboxError(
    'send_quota_reached',
    `This mailbox may send to ${limits.perDay} recipients a day; ${used.count} are used in the last 24 hours and this message has ${recipients}.`,
    { details: { limit: limits.perDay, sentToday: used.count }, retryAfterSeconds: Math.max(60, Math.ceil(frees / 1000)) },
  );
}
