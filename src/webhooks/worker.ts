import type { LookupFunction } from 'node:net';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { claimLoop, type LeasedWorkerOptions, leaseHolder, version } from '../kernel/index.ts';
import type { HostPolicy } from '../mailboxes/host-policy.ts';
import type { Vault } from '../vault/index.ts';
import { nextAttemptAt, type RetrySchedule } from './backoff.ts';
import { type PostOutcome, postOnce } from './http-post.ts';
import { signatureHeader } from './signature.ts';
import type { WebhookDeliveryRow } from './tables.ts';

/**
 * Deliveries were queued by a process that runs no worker (`--role web`): the workers of the other
 * processes look at once instead of at their next poll. Carries no id, so event streams never show it.
 */
export interface WebhookQueuedEvent {
  reason: 'deliveries_queued';
}

declare module '../events/bus.ts' {
  interface EventMap {
    'webhook.queued': WebhookQueuedEvent;
  }
}

export interface WebhookWorkerOptions extends LeasedWorkerOptions {
  db: Kysely<Database>;
  /** Where `webhook.queued` comes from (other processes, over the relay); without it only polls and wake() start a look. */
  events?: EventBus;
  vault: Pick<Vault, 'reveal'>;
  /** Which addresses receivers may be at (the mail host rules: docs/webhooks.md). */
  policy: HostPolicy;
  /** A receiver's whole answer must come within this (default 10 s). */
  timeoutMs?: number;
  schedule?: RetrySchedule;
  /** Tests: the clock (signature timestamps, due times) and the jitter. */
  now?: () => Date;
  random?: () => number;
  lookup?: LookupFunction;
}

export interface WebhookWorker {
  readonly holder: string;
  start(): void;
  /** Looks for due deliveries now. */
  wake(): void;
  /** Stops taking deliveries and waits for those being sent. */
  stop(): Promise<void>;
}

type Claimed = WebhookDeliveryRow & { url: string; secret_id: string };

/**
 * Sends due deliveries. Taking is one statement (FOR UPDATE SKIP LOCKED) over rows that are pending and
 * due, or delivering with a lapsed lease (their process died mid-attempt), of active subscriptions; so
 * several processes may run workers on one database and each delivery is attempted by one at a time.
 * The lease outlasts the request timeout several times, so it needs no renewal. A receiver may still see
 * a delivery twice (it answered 2xx and this process died before recording it): it drops the repeat by
 * Tidings-Delivery.
 */
export function startWebhookWorker(opts: WebhookWorkerOptions): WebhookWorker {
  const holder = leaseHolder(opts);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const leaseMs = timeoutMs * 6;
  const now = opts.now ?? (() => new Date());
  const { db } = opts;

  async function claim(limit: number): Promise<Claimed[]> {
    const at = now();
    const res = await sql<Claimed>`
      with due as (
        select d.id from webhook_deliveries d
        join webhook_subscriptions s on s.id = d.subscription_id and s.active
        where (d.state = 'pending' and d.next_attempt_at <= ${at})
           or (d.state = 'delivering' and d.lease_expires_at < ${at})
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      )
      update webhook_deliveries w
      set state = 'delivering', lease_holder = ${holder}, lease_expires_at = ${new Date(at.getTime() + leaseMs)},
          attempts = w.attempts + 1
      from due, webhook_subscriptions s
      where w.id = due.id and s.id = w.subscription_id
      returning w.*, s.url, s.secret_id`.execute(db);
    return res.rows;
  }

  /** Records the attempt's end while the row is still ours (a lapsed lease taken by another worker: nothing). */
  async function settle(row: Claimed, outcome: PostOutcome): Promise<void> {
    const at = now();
    const common = {
      lease_holder: null,
      lease_expires_at: null,
      last_status_code: outcome.status,
      last_error: outcome.error,
      last_attempt_at: at,
    };
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const gone = outcome.status === 410;
    const next =
      ok || gone || outcome.refused ? null : nextAttemptAt(new Date(row.created_at), row.attempts, at, opts.random, opts.schedule);
    const set = ok
      ? { ...common, state: 'delivered' as const, delivered_at: at }
      : next
        ? { ...common, state: 'pending' as const, next_attempt_at: next }
        : { ...common, state: 'failed' as const, last_error: failedBecause(outcome, gone) };
    await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('webhook_deliveries')
        .set(set)
        .where('id', '=', row.id)
        .where('state', '=', 'delivering')
        .where('lease_holder', '=', holder)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1 || !gone) return;
      // 410 Gone: the receiver says this URL will never take webhooks again; stop sending to it.
      const off = await trx
        .updateTable('webhook_subscriptions')
        .set({ active: false, disabled_reason: 'gone', updated_at: at })
        .where('id', '=', row.subscription_id)
        .where('active', '=', true)
        .executeTakeFirst();
      if (Number(off.numUpdatedRows) === 1) {
        await recordAudit(trx, {
          actorUserId: null,
          action: 'webhook.disable',
          targetType: 'webhook',
          targetId: row.subscription_id,
          detail: { reason: 'gone' },
        });
      }
    });
  }

  async function attempt(row: Claimed): Promise<void> {
    const body = JSON.stringify(row.payload);
    const secret = await opts.vault.reveal(row.secret_id);
    const timestamp = Math.floor(now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': `Tidings-Webhooks/${version}`,
      'tidings-event': row.event_type,
      'tidings-delivery': row.id,
      'tidings-signature': signatureHeader(secret, timestamp, body),
    };
    const outcome = await postOnce(row.url, headers, body, { policy: opts.policy, timeoutMs, ...(opts.lookup && { lookup: opts.lookup }) });
    await settle(row, outcome);
  }

  const loop = claimLoop(opts, {
    claim,
    attempt,
    attemptFailed: (row) => [{ deliveryId: row.id }, 'webhook delivery attempt failed'],
    claimFailed: 'webhooks: looking for due deliveries failed',
    wakeOn: opts.events ? (wake) => opts.events!.on('webhook.queued', () => wake()) : undefined,
  });

  return { holder, ...loop };
}

function failedBecause(outcome: PostOutcome, gone: boolean): string {
  if (gone) return 'HTTP 410: the receiver is gone; the webhook was switched off';
  if (outcome.refused) return outcome.error ?? 'address not allowed';
  return `gave up after a day; last: ${outcome.error ?? 'no answer'}`;
}
