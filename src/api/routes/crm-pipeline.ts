import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { changeStage, createStage, orderStages, readStages, removeStage } from '../../crm/pipeline/commands.ts';
import { stageSchema } from '../../crm/pipeline/presenter.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { adminActorOf } from '../request-actor.ts';
import { uuidParam } from '../schemas.ts';
import { crmDeps } from './crm-record-routes.ts';
import { problems, uuid } from './crm-schemas.ts';

const label = z.string().trim().min(1).max(80);
const stageName = z
  .strictObject({ en: label.optional(), 'zh-CN': label.optional() })
  .refine((n) => n.en !== undefined || n['zh-CN'] !== undefined, { message: 'needs a name in at least one language' });
const kind = z.enum(['open', 'won', 'lost']);
const all = z.object({ items: z.array(stageSchema) });
const one = z.object({ stage: stageSchema });

export function crmPipelineRoutes(context: RouteContext): void {
  const { app, db } = context;
  const deps = crmDeps(context);
  app.get('/api/v1/pipeline/stages', { schema: { tags: ['crm'], response: { 200: all, ...problems(401) } } }, async (request) => {
    requireUser(request);
    return { items: await readStages(db) };
  });

  app.post(
    '/api/v1/pipeline/stages',
    {
      schema: {
        tags: ['crm'],
        description: 'Admins add a stage at `position` (1-based; default last).',
        body: z.strictObject({ name: stageName, kind: kind.default('open'), position: z.number().int().min(1).max(1000).optional() }),
        response: { 201: one, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ stage: await createStage(deps, adminActorOf(request), request.body) }),
  );

  app.patch(
    '/api/v1/pipeline/stages/:id',
    {
      schema: {
        tags: ['crm'],
        description: 'Renames (languages given are replaced, others kept) or changes the kind of an unused stage.',
        params: uuidParam,
        body: z.strictObject({ name: stageName.optional(), kind: kind.optional() }),
        response: { 200: one, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ stage: await changeStage(deps, adminActorOf(request), request.params.id, request.body) }),
  );

  app.put(
    '/api/v1/pipeline/stages/order',
    {
      schema: {
        tags: ['crm'],
        description: 'Sets the order: every stage id exactly once.',
        body: z.strictObject({ ids: z.array(uuid).min(1).max(1000) }),
        response: { 200: all, ...problems(400, 401, 403, 422) },
      },
    },
    async (request) => ({ items: await orderStages(deps, adminActorOf(request), request.body.ids) }),
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/pipeline/stages/:id',
    'Removed.',
    {
      tags: ['crm'],
      description: '409 stage_in_use while deals are in it.',
      params: uuidParam,
      response: problems(401, 403, 404, 409),
    },
    (request) => removeStage(deps, adminActorOf(request), request.params.id),
  );
}
