import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireAdmin, requireUser } from '../../auth/request-auth.ts';
import { stageSchema, presentStage } from '../../crm/pipeline/presenter.ts';
import { deleteStage, findStage, insertStage, listStages, reorderStages, updateStage } from '../../crm/pipeline/repository.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { uuid } from './crm-schemas.ts';

const label = z.string().trim().min(1).max(80);
const stageName = z.strictObject({ en: label.optional(), 'zh-CN': label.optional() })
  .refine((n) => n.en !== undefined || n['zh-CN'] !== undefined, { message: 'needs a name in at least one language' });
const kind = z.enum(['open', 'won', 'lost']);
const all = z.object({ items: z.array(stageSchema) });

export function crmPipelineRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/pipeline/stages', { schema: { tags: ['crm'], response: { 200: all } } }, async (request) => {
    requireUser(request);
    return { items: (await listStages(db)).map(presentStage) };
  });

  app.post('/api/v1/pipeline/stages', {
    schema: {
      tags: ['crm'],
      description: 'Admins add a stage at `position` (1-based; default last).',
      body: z.strictObject({ name: stageName, kind: kind.default('open'), position: z.number().int().min(1).max(1000).optional() }),
      response: { 201: z.object({ stage: stageSchema }) },
    },
  }, async (request, reply) => {
    const admin = requireAdmin(request);
    const stage = await db.transaction().execute(async (trx) => {
      const id = await insertStage(trx, request.body);
      await recordAudit(trx, { actorUserId: admin.id, action: 'pipeline_stage.create', targetType: 'pipeline_stage', targetId: id, ip: request.ip, detail: { kind: request.body.kind } });
      return (await findStage(trx, id))!;
    });
    return reply.code(201).send({ stage: presentStage(stage) });
  });

  app.patch('/api/v1/pipeline/stages/:id', {
    schema: {
      tags: ['crm'],
      description: 'Renames (languages given are replaced, others kept) or changes the kind of an unused stage.',
      params: uuidParam,
      body: z.strictObject({ name: stageName.optional(), kind: kind.optional() }),
      response: { 200: z.object({ stage: stageSchema }) },
    },
  }, async (request) => {
    const admin = requireAdmin(request);
    const stage = await db.transaction().execute(async (trx) => {
      const existing = await findStage(trx, request.params.id);
      if (!existing) throw new NotFoundError('stage');
      await updateStage(trx, existing, request.body);
      await recordAudit(trx, { actorUserId: admin.id, action: 'pipeline_stage.update', targetType: 'pipeline_stage', targetId: existing.id, ip: request.ip, detail: { changed: Object.keys(request.body) } });
      return (await findStage(trx, existing.id))!;
    });
    return { stage: presentStage(stage) };
  });

  app.put('/api/v1/pipeline/stages/order', {
    schema: { tags: ['crm'], description: 'Sets the order: every stage id exactly once.', body: z.strictObject({ ids: z.array(uuid).min(1).max(1000) }), response: { 200: all } },
  }, async (request) => {
    const admin = requireAdmin(request);
    const stages = await db.transaction().execute(async (trx) => {
      await reorderStages(trx, request.body.ids);
      await recordAudit(trx, { actorUserId: admin.id, action: 'pipeline_stage.reorder', targetType: 'pipeline', ip: request.ip });
      return listStages(trx);
    });
    return { items: stages.map(presentStage) };
  });

  app.delete('/api/v1/pipeline/stages/:id', { schema: { tags: ['crm'], description: '409 stage_in_use while deals are in it.', params: uuidParam } }, async (request, reply) => {
    const admin = requireAdmin(request);
    await db.transaction().execute(async (trx) => {
      const existing = await findStage(trx, request.params.id);
      if (!existing) throw new NotFoundError('stage');
      await deleteStage(trx, existing);
      await recordAudit(trx, { actorUserId: admin.id, action: 'pipeline_stage.delete', targetType: 'pipeline_stage', targetId: existing.id, ip: request.ip });
    });
    return reply.code(204).send();
  });
}
