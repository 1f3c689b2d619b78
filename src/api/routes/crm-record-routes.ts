import { z } from 'zod';
import type { Actor } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { type CrmRecord, deleteRecord, listRecords, type ListQuery, readRecord } from '../../crm/shared/records.ts';
import type { CrmDeps } from '../../crm/shared/write.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { pageOf } from '../query-schemas.ts';
import { actorOf } from '../request-actor.ts';
import { uuidParam } from '../schemas.ts';
import { problems } from './crm-schemas.ts';

export function crmDeps({ db, services }: RouteContext): CrmDeps {
  return { db, events: services.events };
}

interface Write<Body extends z.ZodType, Run> {
  description?: string;
  body: Body;
  run: Run;
}

interface RecordRoutes<Row extends { id: string; owner_user_id: string }, Out, Filters, C extends z.ZodType, U extends z.ZodType> {
  /** e.g. `/api/v1/contacts` */
  path: string;
  record: CrmRecord<Row, Out, Filters>;
  item: z.ZodType<Out>;
  query: z.ZodType<ListQuery<Filters>>;
  create: Write<C, (deps: CrmDeps, actor: Actor, input: z.output<C>) => Promise<Out>>;
  change: Write<U, (deps: CrmDeps, actor: Actor, id: string, input: z.output<U>) => Promise<Out>>;
  /** What a record shows depends on who reads it (a contact's bouncing marks): applied to every answer. */
  forReader?: (db: RouteContext['db'], userId: string, items: Out[]) => Promise<Out[]>;
}

/**
 * The routes of a CRM record resource (contacts, companies, deals, purchases, activities): the
 * keyset-paginated list, one record, create (201), change and delete (owner or admin). A resource gives
 * its schemas and commands; every resource answers alike.
 */
export function crmRecordRoutes<Row extends { id: string; owner_user_id: string }, Out, Filters, C extends z.ZodType, U extends z.ZodType>(
  context: RouteContext,
  r: RecordRoutes<Row, Out, Filters, C, U>,
): void {
  const { app, db } = context;
  const deps = crmDeps(context);
  // One record answers as `{ <what>: {...} }`, e.g. `{ contact: {...} }`.
  const key = r.record.what;
  const one = z.object({ [key]: r.item });
  const tags = ['crm'];
  const forReader = async (userId: string, items: Out[]) => (r.forReader ? r.forReader(db, userId, items) : items);
  const oneForReader = async (userId: string, item: Out) => (await forReader(userId, [item]))[0]!;
  app.get(r.path, { schema: { tags, querystring: r.query, response: { 200: pageOf(r.item), ...problems(400, 401) } } }, async (request) => {
    const user = requireUser(request);
    const page = await listRecords(db, r.record, request.query as ListQuery<Filters>);
    return { ...page, items: await forReader(user.id, page.items) };
  });

  app.get(`${r.path}/:id`, { schema: { tags, params: uuidParam, response: { 200: one, ...problems(401, 404) } } }, async (request) => {
    const user = requireUser(request);
    return { [key]: await oneForReader(user.id, await readRecord(db, r.record, request.params.id)) };
  });

  app.post(
    r.path,
    {
      schema: {
        tags,
        description: r.create.description,
        body: r.create.body,
        response: { 201: one, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await r.create.run(deps, actorOf(request), request.body as z.output<C>);
      return reply.code(201).send({ [key]: await oneForReader(requireUser(request).id, created) });
    },
  );

  app.patch(
    `${r.path}/:id`,
    {
      schema: {
        tags,
        description: r.change.description,
        params: uuidParam,
        body: r.change.body,
        response: { 200: one, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const changed = await r.change.run(deps, actorOf(request), request.params.id, request.body as z.output<U>);
      return { [key]: await oneForReader(requireUser(request).id, changed) };
    },
  );

  noContentRoute(app, 'DELETE', `${r.path}/:id`, 'Deleted.', { tags, params: uuidParam, response: problems(401, 403, 404) }, (request) =>
    deleteRecord(deps, actorOf(request), r.record, request.params.id),
  );
}
