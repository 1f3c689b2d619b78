import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { dealSchema, presentDeal } from '../../crm/deals/presenter.ts';
import { dealSortFields, deleteDeal, findDeal, insertDeal, listDeals, replaceDealContacts, updateDeal } from '../../crm/deals/repository.ts';
import { applyStage } from '../../crm/deals/stage-rules.ts';
import { findStage, firstOpenStage } from '../../crm/pipeline/repository.ts';
import { assertCanEdit, assertExists, resolveOwner } from '../../crm/shared/access.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../../crm/errors.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { currency, isoDate, listQuery, money, optionalText, page, pageArgs, recordName, uuid } from './crm-schemas.ts';

const one = z.object({ deal: dealSchema });
const contactIds = z.array(uuid).max(100);

async function stageOrThrow(db: Kysely<Database>, id: string) {
  const stage = await findStage(db, id);
  if (!stage) throw new CrmError('unknown_stage', 'The pipeline stage does not exist.');
  return stage;
}

async function assertContacts(db: Kysely<Database>, ids: string[] | undefined): Promise<void> {
  const unique = [...new Set(ids ?? [])];
  if (!unique.length) return;
  const found = await db.selectFrom('contacts').select('id').where('id', 'in', unique).execute();
  if (found.length !== unique.length) throw new CrmError('unknown_contact', 'One of the contacts does not exist.');
}

export function crmDealRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/deals', {
    schema: {
      tags: ['crm'],
      querystring: listQuery(dealSortFields, '-updatedAt', {
        q: z.string().trim().min(1).max(200).optional(),
        stageId: uuid.optional(),
        status: z.enum(['open', 'won', 'lost']).optional(),
        ownerId: uuid.optional(),
        companyId: uuid.optional(),
        contactId: uuid.optional(),
      }),
      response: { 200: page(dealSchema) },
    },
  }, async (request) => {
    requireUser(request);
    const { spec, cursor, limit } = pageArgs(request.query, dealSortFields, 'd.id');
    const { rows, nextCursor } = await listDeals(db, request.query, spec, cursor, limit);
    return { items: rows.map(presentDeal), nextCursor };
  });

  app.get('/api/v1/deals/:id', { schema: { tags: ['crm'], params: uuidParam, response: { 200: one } } }, async (request) => {
    requireUser(request);
    const row = await findDeal(db, request.params.id);
    if (!row) throw new NotFoundError('deal');
    return { deal: presentDeal(row) };
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
  }, async (request, reply) => {
    const user = requireUser(request);
    const b = request.body;
    const ownerUserId = await resolveOwner(db, user, b.ownerId);
    await assertExists(db, 'companies', b.companyId, 'unknown_company');
    await assertContacts(db, b.contactIds);
    const stage = b.stageId ? await stageOrThrow(db, b.stageId) : await firstOpenStage(db);
    const move = applyStage(stage, null, b.lostReason);
    const row = await db.transaction().execute(async (trx) => {
      const id = await insertDeal(trx, {
        name: b.name, companyId: b.companyId ?? null, amount: b.amount, currency: b.currency, stageId: stage.id,
        expectedCloseDate: b.expectedCloseDate ?? null, ownerUserId, ...move,
      });
      await replaceDealContacts(trx, id, b.contactIds);
      await recordAudit(trx, { actorUserId: user.id, action: 'deal.create', targetType: 'deal', targetId: id, ip: request.ip, detail: { stageId: stage.id, status: move.status } });
      return (await findDeal(trx, id))!;
    });
    return reply.code(201).send({ deal: presentDeal(row) });
  });

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
  }, async (request) => {
    const user = requireUser(request);
    const existing = await findDeal(db, request.params.id);
    if (!existing) throw new NotFoundError('deal');
    assertCanEdit(user, existing.owner_user_id);
    const b = request.body;
    const ownerUserId = b.ownerId === undefined ? undefined : await resolveOwner(db, user, b.ownerId);
    await assertExists(db, 'companies', b.companyId, 'unknown_company');
    await assertContacts(db, b.contactIds);
    const stageChanges = b.stageId !== undefined || b.lostReason !== undefined;
    const stage = stageChanges ? await stageOrThrow(db, b.stageId ?? existing.stage_id) : null;
    const move = stage ? applyStage(stage, { status: existing.status, lostReason: existing.lost_reason, closedAt: existing.closed_at }, b.lostReason) : {};
    const row = await db.transaction().execute(async (trx) => {
      await updateDeal(trx, existing.id, {
        name: b.name, companyId: b.companyId, amount: b.amount, currency: b.currency, stageId: b.stageId,
        expectedCloseDate: b.expectedCloseDate, ownerUserId, ...move,
      });
      if (b.contactIds) await replaceDealContacts(trx, existing.id, b.contactIds);
      await recordAudit(trx, {
        actorUserId: user.id, action: 'deal.update', targetType: 'deal', targetId: existing.id, ip: request.ip,
        detail: { changed: Object.keys(b), ...(b.stageId && { stageId: b.stageId }), ...('status' in move && { status: move.status }) },
      });
      return (await findDeal(trx, existing.id))!;
    });
    return { deal: presentDeal(row) };
  });

  app.delete('/api/v1/deals/:id', { schema: { tags: ['crm'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const existing = await findDeal(db, request.params.id);
    if (!existing) throw new NotFoundError('deal');
    assertCanEdit(user, existing.owner_user_id);
    await db.transaction().execute(async (trx) => {
      await deleteDeal(trx, existing.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'deal.delete', targetType: 'deal', targetId: existing.id, ip: request.ip });
    });
    return reply.code(204).send();
  });
}
