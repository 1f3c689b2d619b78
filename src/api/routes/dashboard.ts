import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { buildDashboard, listPeople } from '../../dashboard/index.ts';
import type { RouteContext } from '../context.ts';
import { problems } from './crm-schemas.ts';

const customer = z.object({
  kind: z.enum(['company', 'contact']),
  id: z.string(),
  name: z.string(),
  sent: z.number(),
  received: z.number(),
});
const address = z.object({ name: z.string().nullable(), address: z.string() });
const dashboardSchema = z.object({
  scope: z.enum(['me', 'team']),
  hours: z.number(),
  generatedAt: z.string(),
  mailWindowDays: z.number(),
  mailByCompany: z.array(customer),
  mailByContact: z.array(customer),
  unanswered: z.object({
    total: z.number(),
    items: z.array(
      z.object({
        id: z.string(),
        mailboxId: z.string(),
        mailboxEmail: z.string(),
        from: address.nullable(),
        subject: z.string().nullable().describe('null when the mailbox shares only who and when'),
        date: z.string(),
        contact: z.object({ id: z.string(), name: z.string() }).nullable(),
      }),
    ),
  }),
  dealsByStage: z.array(
    z.object({
      stageId: z.string(),
      name: z.object({ en: z.string().optional(), 'zh-CN': z.string().optional() }),
      kind: z.enum(['open', 'won', 'lost']),
      count: z.number(),
      amounts: z.array(z.object({ currency: z.string(), amount: z.string() })),
    }),
  ),
});

export function dashboardRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        description:
          'Mail per customer (last 30 days, top 10), inbound mail unanswered for more than `hours`, deals by stage. ' +
          '`scope=me` counts your own mailboxes and deals, `team` every mailbox you may read and every deal.',
        querystring: z.strictObject({
          scope: z.enum(['me', 'team']).default('me'),
          hours: z.coerce
            .number()
            .int()
            .min(1)
            .max(24 * 30)
            .default(48),
        }),
        response: { 200: dashboardSchema, ...problems(400, 401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return buildDashboard(db, user, request.query.scope, request.query.hours);
    },
  );

  // Owner pickers and owner names in the CRM pages need colleagues' names; the users route is admin-only.
  app.get(
    '/api/v1/people',
    {
      schema: {
        tags: ['dashboard'],
        description: 'Active users of the workspace (id, name and team only), for owner pickers, labels and the team filter.',
        response: {
          200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), team: z.string().nullable() })) }),
          ...problems(401),
        },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: await listPeople(db) };
    },
  );
}
