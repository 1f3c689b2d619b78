import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { type Logger, serialJobs } from '../kernel/index.ts';
import { dealStageChanged, mailboxAttention, messageCreated, recordChanged, taskDue, type WebhookEvent } from './payloads.ts';
import type { WebhookPayload } from './tables.ts';

export interface WebhookFanout {
  /** Waits until every event heard so far has its delivery rows (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface FanoutOptions {
  db: Kysely<Database>;
  events: EventBus;
  log: Logger;
  /** Called after rows were queued, so this process's worker looks at once. */
  queued?: () => void;
}

/**
 * Turns bus events into delivery rows: one per active subscription to the event's type, all with the
 * same event id. Runs in every process and takes only the events raised there (`onLocal`), so each event
 * is queued once however many processes share the database; whichever process runs a delivery worker
 * sends the rows. Events are handled one at a time in the order they were raised,
 * so a receiver gets `created` before `updated`.
 */
export function startWebhookFanout({ db, events, log, queued }: FanoutOptions): WebhookFanout {
  const jobs = serialJobs(log, 'webhooks');
  const whenSubscribed = (type: string, build: () => Promise<WebhookEvent | null> | WebhookEvent | null) =>
    jobs.enqueue(type, async () => {
      // Most events have no subscriber: ask before building the payload.
      const any = await db
        .selectFrom('webhook_subscriptions')
        .select('id')
        .where('active', '=', true)
        .where(sql<boolean>`${type} = any(events)`)
        .limit(1)
        .executeTakeFirst();
      if (!any) return;
      const event = await build();
      if (event && (await queueEvent(db, event)) > 0) queued?.();
    });
  const unsubscribe = [
    events.onLocal('message.created', (e) => whenSubscribed('message.created', () => messageCreated(db, e))),
    events.onLocal('record.changed', (e) => whenSubscribed(`${e.kind}.${e.action}`, () => recordChanged(db, e))),
    events.onLocal('deal.stage_changed', (e) => whenSubscribed('deal.stage_changed', () => dealStageChanged(db, e))),
    events.onLocal('mailbox.attention', (e) => whenSubscribed('mailbox.attention', () => mailboxAttention(db, e))),
    events.onLocal('reminder.due', (e) => whenSubscribed('task.due', () => taskDue(e))),
  ];
  return {
    idle: () => jobs.idle(),
    async stop() {
      for (const off of unsubscribe) off();
      await jobs.stop();
    },
  };
}

/** The body every receiver gets for `event`, with a new event id. */
export function payloadOf(event: WebhookEvent, now = new Date()): WebhookPayload {
  return { id: randomUUID(), type: event.type, createdAt: now.toISOString(), data: event.data };
}

/** Queues `event` for every active subscription to its type (or only `subscriptionIds`); how many rows. */
export async function queueEvent(db: Kysely<Database>, event: WebhookEvent, subscriptionIds?: string[]): Promise<number> {
  const payload = payloadOf(event);
  let q = db.selectFrom('webhook_subscriptions').select('id').where('active', '=', true);
  q = subscriptionIds ? q.where('id', 'in', subscriptionIds) : q.where(sql<boolean>`${event.type} = any(events)`);
  const subscribers = await q.execute();
  if (!subscribers.length) return 0;
  await db
    .insertInto('webhook_deliveries')
    .values(
      subscribers.map((s) => ({
        subscription_id: s.id,
        event_id: payload.id,
        event_type: payload.type,
        payload: JSON.stringify(payload),
        next_attempt_at: new Date(),
      })),
    )
    .execute();
  return subscribers.length;
}
