import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { presentPurchase, purchaseSchema } from '../../crm/purchases/presenter.ts';
import { deletePurchase, findPurchase, insertPurchase, listPurchases, purchaseSortFields, updatePurchase } from '../../crm/purchases/repository.ts';
import { assertCanEdit, assertExists, resolveOwner } from '../../crm/shared/access.ts';
import { formatCents, lineCents, normaliseMoney, QUANTITY_PATTERN } from '../../crm/shared/money.ts';
import type { PurchaseItem } from '../../crm/tables.ts';
import { CrmError } from '../../crm/errors.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { currency, isoDate, listQuery, money, optionalText, page, pageArgs, uuid } from './crm-schemas.ts';

const one = z.object({ purchase: purchaseSchema });
const item = z.strictObject({
  name: z.string().trim().min(1).max(300),
  quantity: z.union([z.string().trim(), z.number().transform(String)]).pipe(z.string().regex(QUANTITY_PATTERN, { message: 'must be a positive number with at most 3 decimals' })),
  unitPrice: money,
});
const items = z.array(item).max(500);

/** Items in storage form, and their total in cents (exact decimal arithmetic). */
function storeItems(list: Array<z.infer<typeof item>>): { items: PurchaseItem[]; total: string } {
  const stored = list.map((i) => ({ name: i.name, quantity: i.quantity, unit_price: normaliseMoney(i.unitPrice) }));
  const cents = stored.reduce((sum, i) => sum + lineCents(i.quantity, i.unit_price), 0n);
  return { items: stored, total: formatCents(cents) };
}

export function crmPurchaseRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/purchases', {
    schema: {
      tags: ['crm'],
      querystring: listQuery(purchaseSortFields, '-purchasedOn', { companyId: uuid.optional(), contactId: uuid.optional(), ownerId: uuid.optional() }),
      response: { 200: page(purchaseSchema) },
    },
  }, async (request) => {
    requireUser(request);
    const { spec, cursor, limit } = pageArgs(request.query, purchaseSortFields, 'p.id');
    const { rows, nextCursor } = await listPurchases(db, request.query, spec, cursor, limit);
    return { items: rows.map(presentPurchase), nextCursor };
  });

  app.get('/api/v1/purchases/:id', { schema: { tags: ['crm'], params: uuidParam, response: { 200: one } } }, async (request) => {
    requireUser(request);
    const row = await findPurchase(db, request.params.id);
    if (!row) throw new NotFoundError('purchase');
    return { purchase: presentPurchase(row) };
  });

  app.post('/api/v1/purchases', {
    schema: {
      tags: ['crm'],
      description: 'Records a purchase by a company and/or a contact. `amount` defaults to the sum of quantity × unitPrice.',
      body: z.strictObject({
        companyId: uuid.nullable().optional(), contactId: uuid.nullable().optional(), purchasedOn: isoDate,
        items: items.default([]), amount: money.optional(), currency, notes: optionalText(20000), ownerId: uuid.optional(),
      }),
      response: { 201: one },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const b = request.body;
    if (!b.companyId && !b.contactId) throw new CrmError('purchase_unlinked', 'A purchase belongs to a company, a contact or both.');
    await assertExists(db, 'companies', b.companyId, 'unknown_company');
    await assertExists(db, 'contacts', b.contactId, 'unknown_contact');
    const ownerUserId = await resolveOwner(db, user, b.ownerId);
    const stored = storeItems(b.items);
    const row = await db.transaction().execute(async (trx) => {
      const id = await insertPurchase(trx, {
        companyId: b.companyId ?? null, contactId: b.contactId ?? null, purchasedOn: b.purchasedOn, items: stored.items,
        amount: b.amount ?? stored.total, currency: b.currency, notes: b.notes ?? null, ownerUserId,
      });
      await recordAudit(trx, { actorUserId: user.id, action: 'purchase.create', targetType: 'purchase', targetId: id, ip: request.ip });
      return (await findPurchase(trx, id))!;
    });
    return reply.code(201).send({ purchase: presentPurchase(row) });
  });

  app.patch('/api/v1/purchases/:id', {
    schema: {
      tags: ['crm'],
      description: 'Changes fields; new `items` without `amount` recompute the amount.',
      params: uuidParam,
      body: z.strictObject({
        companyId: uuid.nullable().optional(), contactId: uuid.nullable().optional(), purchasedOn: isoDate.optional(),
        items: items.optional(), amount: money.optional(), currency: currency.optional(), notes: optionalText(20000), ownerId: uuid.optional(),
      }),
      response: { 200: one },
    },
  }, async (request) => {
    const user = requireUser(request);
    const existing = await findPurchase(db, request.params.id);
    if (!existing) throw new NotFoundError('purchase');
    assertCanEdit(user, existing.owner_user_id);
    const b = request.body;
    const companyId = b.companyId === undefined ? existing.company_id : b.companyId;
    const contactId = b.contactId === undefined ? existing.contact_id : b.contactId;
    if (!companyId && !contactId) throw new CrmError('purchase_unlinked', 'A purchase belongs to a company, a contact or both.');
    await assertExists(db, 'companies', b.companyId, 'unknown_company');
    await assertExists(db, 'contacts', b.contactId, 'unknown_contact');
    const ownerUserId = b.ownerId === undefined ? undefined : await resolveOwner(db, user, b.ownerId);
    const stored = b.items ? storeItems(b.items) : null;
    const row = await db.transaction().execute(async (trx) => {
      await updatePurchase(trx, existing.id, {
        companyId: b.companyId, contactId: b.contactId, purchasedOn: b.purchasedOn, items: stored?.items,
        amount: b.amount ?? stored?.total, currency: b.currency, notes: b.notes, ownerUserId,
      });
      await recordAudit(trx, { actorUserId: user.id, action: 'purchase.update', targetType: 'purchase', targetId: existing.id, ip: request.ip, detail: { changed: Object.keys(b) } });
      return (await findPurchase(trx, existing.id))!;
    });
    return { purchase: presentPurchase(row) };
  });

  app.delete('/api/v1/purchases/:id', { schema: { tags: ['crm'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const existing = await findPurchase(db, request.params.id);
    if (!existing) throw new NotFoundError('purchase');
    assertCanEdit(user, existing.owner_user_id);
    await db.transaction().execute(async (trx) => {
      await deletePurchase(trx, existing.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'purchase.delete', targetType: 'purchase', targetId: existing.id, ip: request.ip });
    });
    return reply.code(204).send();
  });
}
