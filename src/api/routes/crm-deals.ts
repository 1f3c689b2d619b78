import { z } from 'zod';
import { changeDeal, createDeal } from '../../crm/deals/commands.ts';
import { dealSchema } from '../../crm/deals/presenter.ts';
import { dealRecord } from '../../crm/deals/record.ts';
import { dealSortFields } from '../../crm/deals/repository.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { crmDeps, crmRecordRoutes } from './crm-record-routes.ts';
import { currency, isoDate, listQuery, money, optionalText, recordName, uuid } from './crm-schemas.ts';

const one = z.object({ deal: dealSchema });
const contactIds = z.array(uuid).max(100);

export function crmDealRoutes(context: RouteContext): void {
  const { app } = context;
  const deps = crmDeps(context);
  crmRecordRoutes(context, {
    path: '/api/v1/deals',
    key: 'deal',
    record: dealRecord,
    item: dealSchema,
    query: listQuery(dealSortFields, '-updatedAt', {
      q: z.string().trim().min(1).max(200).optional(),
      stageId: uuid.optional(),
      status: z.enum(['open', 'won', 'lost']).optional(),
      ownerId: uuid.optional(),
      companyId: uuid.optional(),
      contactId: uuid.optional(),
    }),
  });

  app.post('/api/v1/deals', {
    schema: {
      tags: ['crm'],
      description: 'Creates a deal in `stageId` (default: the first open stage). A lost stage needs `lostReason`.',
      body: z.strictObject({
        name: recordName,
        companyId: uuid.nullable().optional(),
        contactIds: contactIds.default([]),
        amount: money.default('0.00'),
        currency,
        stageId: uuid.optional(),
        expectedCloseDate: isoDate.nullable().optional(),
        lostReason: optionalText(2000),
        ownerId: uuid.optional(),
      }),
      response: { 201: one },
    },
  }, async (request, reply) => reply.code(201).send({ deal: await createDeal(deps, actorOf(request), request.body) }));

  app.patch('/api/v1/deals/:id', {
    schema: {
      tags: ['crm'],
      description: 'Changes fields; moving to a won/lost stage closes the deal (lost needs `lostReason`), back to an open stage reopens it.',
      params: uuidParam,
      body: z.strictObject({
        name: recordName.optional(),
        companyId: uuid.nullable().optional(),
        contactIds: contactIds.optional(),
        amount: money.optional(),
        currency: currency.optional(),
        stageId: uuid.optional(),
        expectedCloseDate: isoDate.nullable().optional(),
        lostReason: optionalText(2000),
        ownerId: uuid.optional(),
      }),
      response: { 200: one },
    },
  }, async (request) => ({ deal: await changeDeal(deps, actorOf(request), request.params.id, request.body) }));
}
