import type { Kysely } from 'kysely';
import { companyRecord, contactRecord, type DealStageChangedEvent, dealRecord, type RecordChangedEvent } from '../crm/index.ts';
import type { ReminderDueEvent } from '../crm/reminders/index.ts';
import type { Database } from '../db/schema.ts';
import type { EventMap, MessageEvent } from '../events/index.ts';
import { accessOf, canReadSubject } from '../store/visibility.ts';
import type { WebhookEventType } from './event-types.ts';

/** What one bus event becomes for receivers: its webhook type and data; null when nothing is sent. */
export interface WebhookEvent {
  /** A WebhookEventType, or webhook.test. */
  type: string;
  data: Record<string, unknown>;
}

/**
 * A webhook reads mail as a teammate who does not own the mailbox does (docs/visibility.md): nothing
 * of a private mailbox, who and when of a metadata-only one, and the subject too where the mailbox
 * shares it. Never a body, attachment or raw source, whatever the visibility: a URL outside Tidings is
 * not a reader of anyone's mailbox.
 */
const TEAMMATE = '00000000-0000-0000-0000-000000000000';

export async function messageCreated(db: Kysely<Database>, e: MessageEvent): Promise<WebhookEvent | null> {
  const row = await db
    .selectFrom('messages')
    .innerJoin('mailboxes', 'mailboxes.id', 'messages.mailbox_id')
    .select([
      'messages.id',
      'messages.mailbox_id',
      'messages.thread_id',
      'messages.date',
      'messages.from',
      'messages.to',
      'messages.cc',
      'messages.subject',
      'messages.has_attachments',
      'messages.size',
      'messages.created_at',
      'mailboxes.owner_user_id',
      'mailboxes.visibility',
    ])
    .where('messages.id', '=', e.messageId)
    .executeTakeFirst();
  if (!row) return null;
  const access = accessOf(TEAMMATE, row);
  if (!access) return null;
  return {
    type: 'message.created',
    data: {
      id: row.id,
      mailboxId: row.mailbox_id,
      threadId: row.thread_id,
      date: row.date ? new Date(row.date).toISOString() : null,
      storedAt: new Date(row.created_at).toISOString(),
      from: row.from,
      to: row.to,
      cc: row.cc,
      ...(canReadSubject(access) && { subject: row.subject, hasAttachments: row.has_attachments, size: row.size }),
    },
  };
}

const records = { contact: contactRecord, company: companyRecord, deal: dealRecord } as const;

async function presented(db: Kysely<Database>, kind: keyof typeof records, id: string): Promise<unknown> {
  const record = records[kind] as { find(db: Kysely<Database>, id: string): Promise<unknown>; present(row: never): unknown };
  const row = await record.find(db, id);
  return row ? record.present(row as never) : null;
}

/** `contact.updated` and the like, with the record as the API presents it now (none once deleted). */
export async function recordChanged(db: Kysely<Database>, e: RecordChangedEvent): Promise<WebhookEvent | null> {
  const record = e.action === 'deleted' ? null : await presented(db, e.kind, e.id);
  // Changed again or deleted before this ran: the later event carries the news.
  if (e.action !== 'deleted' && !record) return null;
  return {
    type: `${e.kind}.${e.action}` as WebhookEventType,
    data: { id: e.id, actorUserId: e.actorUserId, changedFields: e.changedFields, [e.kind]: record },
  };
}

export async function dealStageChanged(db: Kysely<Database>, e: DealStageChangedEvent): Promise<WebhookEvent | null> {
  const deal = await presented(db, 'deal', e.dealId);
  if (!deal) return null;
  return {
    type: 'deal.stage_changed',
    data: { id: e.dealId, fromStageId: e.fromStageId, toStageId: e.toStageId, actorUserId: e.actorUserId, deal },
  };
}

export async function mailboxAttention(db: Kysely<Database>, e: EventMap['mailbox.attention']): Promise<WebhookEvent | null> {
  const mailbox = await db.selectFrom('mailboxes').select(['id', 'email']).where('id', '=', e.mailboxId).executeTakeFirst();
  if (!mailbox) return null;
  return {
    type: 'mailbox.attention',
    data: { mailboxId: mailbox.id, email: mailbox.email, ownerUserId: e.ownerUserId, needsAttention: e.code !== null, code: e.code },
  };
}

export function taskDue(e: ReminderDueEvent): WebhookEvent {
  return { type: 'task.due', data: { ownerUserId: e.userId, ...e.reminder } };
}
