import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { type CrmRecord, deleteRecord, listRecords, type ListQuery, readRecord } from '../../crm/shared/records.ts';
import type { CrmDeps } from '../../crm/shared/write.ts';
import type { RouteContext } from '../context.ts';
import { actorOf } from '../request-actor.ts';
import { uuidParam } from '../schemas.ts';
import { pageOf } from '../query-schemas.ts';
import { noContent } from './crm-schemas.ts';

export function crmDeps({ db, services }: RouteContext): CrmDeps {
  return { db, events: services.events };
}

interface RecordRoutes<Row extends { id: string; owner_user_id: string }, Out, Filters> {
  /** e.g. `/api/v1/contacts` */
  path: string;
  /** The property that holds one record in an answer: `{ contact: {...} }`. */
  key: string;
  record: CrmRecord<Row, Out, Filters>;
  item: z.ZodType<Out>;
  query: z.ZodType<ListQuery<Filters>>;
}

/**
 * The three routes every CRM record resource has alike: the keyset-paginated list, one record, and
 * delete (owner or admin). Creating and changing differ by resource and stay in its own route file.
 */
export function crmRecordRoutes<Row extends { id: string; owner_user_id: string }, Out, Filters>(context: RouteContext, r: RecordRoutes<Row, Out, Filters>): void {
  const { app, db } = context;
  const deps = crmDeps(context);
  app.get(r.path, { schema: { tags: ['crm'], querystring: r.query, response: { 200: pageOf(r.item) } } }, async (request) => {
    requireUser(request);
    return listRecords(db, r.record, request.query as ListQuery<Filters>);
  });

  app.get(`${r.path}/:id`, { schema: { tags: ['crm'], params: uuidParam, response: { 200: z.object({ [r.key]: r.item }) } } }, async (request) => {
    requireUser(request);
    return { [r.key]: await readRecord(db, r.record, request.params.id) };
  });

  app.delete(`${r.path}/:id`, { schema: { tags: ['crm'], params: uuidParam, response: { 204: noContent } } }, async (request, reply) => {
    await deleteRecord(deps, actorOf(request), r.record, request.params.id);
    return reply.code(204).send(null);
  });
}
