import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { activitySchema, presentActivity } from '../../crm/activities/presenter.ts';
import { activitySortFields, type ActivityWrite, deleteActivity, findActivity, insertActivity, listActivities, updateActivity } from '../../crm/activities/repository.ts';
import { assertCanEdit, assertExists, resolveOwner } from '../../crm/shared/access.ts';
import type { ActivityKind } from '../../crm/tables.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../../crm/errors.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { isoDateTime, listQuery, optionalText, page, pageArgs, uuid } from './crm-schemas.ts';

const one = z.object({ activity: activitySchema });
const fields = {
  subject: optionalText(500),
  body: optionalText(50000),
  dueAt: isoDateTime.nullable().optional(),
  reminderAt: isoDateTime.nullable().optional(),
  doneAt: isoDateTime.nullable().optional(),
  callDurationSeconds: z.number().int().min(0).max(86400 * 7).nullable().optional(),
  callDirection: z.enum(['inbound', 'outbound']).nullable().optional(),
  contactId: uuid.nullable().optional(),
  companyId: uuid.nullable().optional(),
  dealId: uuid.nullable().optional(),
  occurredAt: isoDateTime.optional(),
  ownerId: uuid.optional(),
};
type Fields = { [K in keyof typeof fields]?: z.infer<(typeof fields)[K]> };

/** Task fields belong to tasks, call fields to calls: a note with a due date is a mistake worth a 422. */
const onlyFor: Record<string, ActivityKind> = { dueAt: 'task', reminderAt: 'task', doneAt: 'task', callDurationSeconds: 'call', callDirection: 'call' };

function checkKind(kind: ActivityKind, body: Fields): void {
  for (const [field, owner] of Object.entries(onlyFor)) {
    const value = body[field as keyof Fields];
    if (value !== undefined && value !== null && owner !== kind) {
      throw new CrmError('field_not_for_kind', `${field} applies to ${owner}s, not to ${kind}s.`);
    }
  }
}

async function checkLinks(db: Kysely<Database>, body: Fields): Promise<void> {
  await assertExists(db, 'contacts', body.contactId, 'unknown_contact');
  await assertExists(db, 'companies', body.companyId, 'unknown_company');
  await assertExists(db, 'deals', body.dealId, 'unknown_deal');
}

function write(body: Fields, ownerUserId: string | undefined): ActivityWrite {
  const { ownerId: _ownerId, ...rest } = body;
  return { ...rest, ownerUserId };
}

export function crmActivityRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/activities', {
    schema: {
      tags: ['crm'],
      querystring: listQuery(activitySortFields, '-occurredAt', {
        kind: z.enum(['note', 'task', 'call']).optional(),
        contactId: uuid.optional(),
        companyId: uuid.optional(),
        dealId: uuid.optional(),
        ownerId: uuid.optional(),
        open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
      }),
      response: { 200: page(activitySchema) },
    },
  }, async (request) => {
    requireUser(request);
    const { spec, cursor, limit } = pageArgs(request.query, activitySortFields, 'a.id');
    const { rows, nextCursor } = await listActivities(db, request.query, spec, cursor, limit);
    return { items: rows.map(presentActivity), nextCursor };
  });

  app.get('/api/v1/activities/:id', { schema: { tags: ['crm'], params: uuidParam, response: { 200: one } } }, async (request) => {
    requireUser(request);
    const row = await findActivity(db, request.params.id);
    if (!row) throw new NotFoundError('activity');
    return { activity: presentActivity(row) };
  });

  app.post('/api/v1/activities', {
    schema: { tags: ['crm'], body: z.strictObject({ kind: z.enum(['note', 'task', 'call']), ...fields }), response: { 201: one } },
  }, async (request, reply) => {
    const user = requireUser(request);
    const { kind, ...body } = request.body;
    checkKind(kind, body);
    if (!body.subject && !body.body) throw new CrmError('activity_empty', 'Give the activity a subject or a body.');
    await checkLinks(db, body);
    const ownerUserId = await resolveOwner(db, user, body.ownerId);
    const row = await db.transaction().execute(async (trx) => {
      const id = await insertActivity(trx, { ...write(body, ownerUserId), kind, ownerUserId });
      await recordAudit(trx, { actorUserId: user.id, action: 'activity.create', targetType: 'activity', targetId: id, ip: request.ip, detail: { kind } });
      return (await findActivity(trx, id))!;
    });
    return reply.code(201).send({ activity: presentActivity(row) });
  });

  app.patch('/api/v1/activities/:id', {
    schema: { tags: ['crm'], description: 'Changes fields; mark a task done with `doneAt`, reopen it with `doneAt: null`.', params: uuidParam, body: z.strictObject(fields), response: { 200: one } },
  }, async (request) => {
    const user = requireUser(request);
    const existing = await findActivity(db, request.params.id);
    if (!existing) throw new NotFoundError('activity');
    assertCanEdit(user, existing.owner_user_id);
    checkKind(existing.kind, request.body);
    await checkLinks(db, request.body);
    const ownerUserId = request.body.ownerId === undefined ? undefined : await resolveOwner(db, user, request.body.ownerId);
    const row = await db.transaction().execute(async (trx) => {
      await updateActivity(trx, existing.id, write(request.body, ownerUserId));
      await recordAudit(trx, { actorUserId: user.id, action: 'activity.update', targetType: 'activity', targetId: existing.id, ip: request.ip, detail: { changed: Object.keys(request.body) } });
      return (await findActivity(trx, existing.id))!;
    });
    return { activity: presentActivity(row) };
  });

  app.delete('/api/v1/activities/:id', { schema: { tags: ['crm'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const existing = await findActivity(db, request.params.id);
    if (!existing) throw new NotFoundError('activity');
    assertCanEdit(user, existing.owner_user_id);
    await db.transaction().execute(async (trx) => {
      await deleteActivity(trx, existing.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'activity.delete', targetType: 'activity', targetId: existing.id, ip: request.ip });
    });
    return reply.code(204).send();
  });
}
