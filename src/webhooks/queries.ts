import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DomainError, NotFoundError } from '../kernel/index.ts';
import { type DeliveryView, presentDelivery, presentWebhook, type WebhookView } from './presenter.ts';

export async function listWebhooks(db: Kysely<Database>): Promise<WebhookView[]> {
  const rows = await db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(presentWebhook);
}

export async function readWebhook(db: Kysely<Database>, id: string): Promise<WebhookView> {
  const row = await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('webhook');
  return presentWebhook(row);
}

/** A webhook's delivery log, newest first, one keyset page (the cursor is the last row's sequence number). */
export async function listDeliveries(
  db: Kysely<Database>,
  id: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  await readWebhook(db, id);
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('subscription_id', '=', id)
    .orderBy('seq', 'desc')
    .limit(query.limit + 1);
  if (query.cursor) {
    if (!/^\d{1,18}$/.test(query.cursor)) throw new DomainError('invalid_cursor', 'The cursor is not valid.');
    q = q.where('seq', '<', Number(query.cursor));
  }
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  return { items: page.map(presentDelivery), nextCursor: rows.length > query.limit ? String(page.at(-1)!.seq) : null };
}
