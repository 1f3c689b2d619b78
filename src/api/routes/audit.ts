import { z } from 'zod';
import { listAuditEntries } from '../../audit/index.ts';
import { requireAdmin } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { pageOf, pageQuery } from '../query-schemas.ts';
import { problems } from './crm-schemas.ts';

const querySchema = z.strictObject({
  ...pageQuery(200).shape,
  /** Opaque: the id of the last entry of the previous page. */
  cursor: z.string().regex(/^\d+$/).optional(),
  action: z.string().max(60).optional(),
  actorUserId: z.uuid().optional(),
});

const entrySchema = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  actor: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }).nullable(),
});

/** The audit trail, newest first, for admins. */
export function auditRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/audit',
    {
      schema: { tags: ['settings'], querystring: querySchema, response: { 200: pageOf(entrySchema), ...problems(400, 401, 403) } },
    },
    async (request) => {
      requireAdmin(request);
      return listAuditEntries(db, request.query);
    },
  );
}
