import { z } from 'zod';
import { changePurchase, createPurchase } from '../../crm/purchases/commands.ts';
import { purchaseSchema } from '../../crm/purchases/presenter.ts';
import { purchaseRecord } from '../../crm/purchases/record.ts';
import { purchaseSortFields } from '../../crm/purchases/repository.ts';
import { QUANTITY_PATTERN } from '../../crm/shared/money.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { crmDeps, crmRecordRoutes } from './crm-record-routes.ts';
import { currency, isoDate, listQuery, money, optionalText, uuid } from './crm-schemas.ts';

const one = z.object({ purchase: purchaseSchema });
const item = z.strictObject({
  name: z.string().trim().min(1).max(300),
  quantity: z.union([z.string().trim(), z.number().transform(String)]).pipe(z.string().regex(QUANTITY_PATTERN, { message: 'must be a positive number with at most 3 decimals' })),
  unitPrice: money,
});
const items = z.array(item).max(500);

export function crmPurchaseRoutes(context: RouteContext): void {
  const { app } = context;
  const deps = crmDeps(context);
  crmRecordRoutes(context, {
    path: '/api/v1/purchases',
    key: 'purchase',
    record: purchaseRecord,
    item: purchaseSchema,
    query: listQuery(purchaseSortFields, '-purchasedOn', { companyId: uuid.optional(), contactId: uuid.optional(), ownerId: uuid.optional() }),
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
  }, async (request, reply) => reply.code(201).send({ purchase: await createPurchase(deps, actorOf(request), request.body) }));

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
  }, async (request) => ({ purchase: await changePurchase(deps, actorOf(request), request.params.id, request.body) }));
}
