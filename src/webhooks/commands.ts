import type { Kysely, Transaction } from 'kysely';
import { type Actor, auditedWrite } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { NotFoundError } from '../kernel/index.ts';
import { type HostPolicy, refusedAddress, refusedName } from '../mailboxes/host-policy.ts';
import type { Vault } from '../vault/index.ts';
import { WebhookError } from './errors.ts';
import { TEST_EVENT_TYPE, type WebhookEventType } from './event-types.ts';
import { payloadOf } from './fanout.ts';
import { newSigningSecret } from './signature.ts';
import { type DeliveryView, presentDelivery, presentWebhook, type WebhookView } from './presenter.ts';

export interface WebhookDeps {
  db: Kysely<Database>;
  vault: Pick<Vault, 'put' | 'replace' | 'delete'>;
  policy: HostPolicy;
  /** Tells this process's worker that a delivery is due now (replay, test). */
  wake?: () => void;
}

export interface WebhookInput {
  url: string;
  events: WebhookEventType[];
  active?: boolean | undefined;
}

/** A webhook with its signing secret: the one answer that shows the secret. */
export interface WebhookWithSecret {
  webhook: WebhookView;
  secret: string;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * http(s) only, no user name or password in it (they would be sent and logged as part of the URL), and
 * not an address the host rules refuse. Names are checked again at every connection, on the address
 * they resolve to then.
 */
export function assertUrlAllowed(url: string, policy: HostPolicy): void {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new WebhookError('webhook_url_not_allowed', 'A webhook URL starts with https:// or http://.');
  if (u.username || u.password)
    throw new WebhookError('webhook_url_not_allowed', 'A webhook URL may not hold a user name or password; sign with the secret instead.');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const why = refusedName(host, policy) ?? (/^[\d.]+$|:/.test(host) ? refusedAddress(host, policy) : null);
  if (why) throw new WebhookError('webhook_url_not_allowed', `${host} is a ${why} address, which webhooks may not reach here.`);
}

async function subscriptionOrThrow(db: Db, id: string) {
  const row = await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('webhook');
  return row;
}

export async function createWebhook(deps: WebhookDeps, actor: Actor, input: WebhookInput): Promise<WebhookWithSecret> {
  assertUrlAllowed(input.url, deps.policy);
  const secret = newSigningSecret();
  return auditedWrite(deps.db, actor, async (trx) => {
    const secretId = await deps.vault.put(trx, { ownerType: 'webhook', ownerId: null, kind: 'signing_secret' }, secret);
    const row = await trx
      .insertInto('webhook_subscriptions')
      .values({
        url: input.url,
        events: [...new Set(input.events)],
        secret_id: secretId,
        active: input.active ?? true,
        created_by: actor.user.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.updateTable('secrets').set({ owner_id: row.id }).where('id', '=', secretId).execute();
    return {
      result: { webhook: presentWebhook(row), secret },
      audit: { action: 'webhook.create', targetType: 'webhook', targetId: row.id, detail: { url: row.url, events: row.events } },
    };
  });
}

/** Changes the URL, events or active flag; switching on again clears why Tidings switched it off. */
export async function changeWebhook(deps: WebhookDeps, actor: Actor, id: string, input: Partial<WebhookInput>): Promise<WebhookView> {
  if (input.url !== undefined) assertUrlAllowed(input.url, deps.policy);
  return auditedWrite(deps.db, actor, async (trx) => {
    await subscriptionOrThrow(trx, id);
    const row = await trx
      .updateTable('webhook_subscriptions')
      .set({
        updated_at: new Date(),
        ...(input.url !== undefined && { url: input.url }),
        ...(input.events !== undefined && { events: [...new Set(input.events)] }),
        ...(input.active !== undefined && { active: input.active }),
        ...(input.active === true && { disabled_reason: null }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: presentWebhook(row),
      audit: { action: 'webhook.update', targetType: 'webhook', targetId: id, detail: { changed: Object.keys(input) } },
    };
  });
}

/** A new signing secret, at once: deliveries from now on are signed with it (receivers switch over too). */
export async function rotateWebhookSecret(deps: WebhookDeps, actor: Actor, id: string): Promise<WebhookWithSecret> {
  const secret = newSigningSecret();
  return auditedWrite(deps.db, actor, async (trx) => {
    const row = await subscriptionOrThrow(trx, id);
    await deps.vault.replace(trx, row.secret_id, secret);
    const updated = await trx
      .updateTable('webhook_subscriptions')
      .set({ updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: { webhook: presentWebhook(updated), secret },
      audit: { action: 'webhook.rotate_secret', targetType: 'webhook', targetId: id },
    };
  });
}

/** Deletes the webhook, its delivery log and its secret. */
export async function deleteWebhook(deps: WebhookDeps, actor: Actor, id: string): Promise<void> {
  await auditedWrite(deps.db, actor, async (trx) => {
    const row = await subscriptionOrThrow(trx, id);
    await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
    await deps.vault.delete(trx, row.secret_id);
    return { result: undefined, audit: { action: 'webhook.delete', targetType: 'webhook', targetId: id, detail: { url: row.url } } };
  });
}

/**
 * Sends a delivered or failed delivery again, as a new delivery (a new Tidings-Delivery, so a receiver
 * that dropped the first as handled takes this one) of the same event (same payload and `id`).
 */
export async function replayDelivery(deps: WebhookDeps, actor: Actor, id: string, deliveryId: string): Promise<DeliveryView> {
  const view = await auditedWrite(deps.db, actor, async (trx) => {
    await subscriptionOrThrow(trx, id);
    const original = await trx
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .where('subscription_id', '=', id)
      .executeTakeFirst();
    if (!original) throw new NotFoundError('delivery');
    if (original.state === 'pending' || original.state === 'delivering')
      throw new WebhookError(
        'webhook_delivery_in_progress',
        'This delivery is still being tried; replay it once it is delivered or failed.',
      );
    const row = await trx
      .insertInto('webhook_deliveries')
      .values({
        subscription_id: id,
        event_id: original.event_id,
        event_type: original.event_type,
        payload: JSON.stringify(original.payload),
        next_attempt_at: new Date(),
        replay_of: original.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: presentDelivery(row),
      audit: { action: 'webhook.replay', targetType: 'webhook', targetId: id, detail: { deliveryId: original.id, replayId: row.id } },
    };
  });
  deps.wake?.();
  return view;
}

/** Queues a `webhook.test` event for this webhook alone, to check the receiver and its signature check. */
export async function sendTestEvent(deps: WebhookDeps, actor: Actor, id: string): Promise<DeliveryView> {
  const view = await auditedWrite(deps.db, actor, async (trx) => {
    const sub = await subscriptionOrThrow(trx, id);
    if (!sub.active) throw new WebhookError('webhook_inactive', 'Switch the webhook on to send it a test event.');
    const payload = payloadOf({ type: TEST_EVENT_TYPE, data: { webhookId: id, message: 'A test event from Tidings.' } });
    const row = await trx
      .insertInto('webhook_deliveries')
      .values({
        subscription_id: id,
        event_id: payload.id,
        event_type: payload.type,
        payload: JSON.stringify(payload),
        next_attempt_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      result: presentDelivery(row),
      audit: { action: 'webhook.test', targetType: 'webhook', targetId: id, detail: { deliveryId: row.id } },
    };
  });
  deps.wake?.();
  return view;
}
