import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { User } from '../../auth/tables.ts';
import { CHART_NAMES, chartCsv, chartNamed, resolveScope } from '../../analytics/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import type { RouteContext } from '../context.ts';
import { analyticsQuery, chartSchemas, defaultRange } from './analytics-schemas.ts';
import { problems } from './crm-schemas.ts';

const csvFile = {
  description: 'The chart as CSV',
  content: { 'text/csv': { schema: z.string().describe('UTF-8 with a BOM, formula-guarded cells') } },
};

function asCsvFile(reply: FastifyReply, name: string): void {
  reply.header('content-disposition', `attachment; filename="${name}"`);
  reply.header('cache-control', 'no-store');
  reply.type('text/csv; charset=utf-8');
}

/** One JSON route and one CSV route per chart of the dashboard (src/analytics, docs/analytics.md). */
export function analyticsRoutes({ app, db }: RouteContext): void {
  for (const name of CHART_NAMES) {
    const spec = chartSchemas[name];
    const chart = chartNamed(name);
    const compute = async (query: z.infer<typeof analyticsQuery>, reader: User) => {
      const now = new Date();
      const filters = { ...defaultRange(query, now), timeZone: query.timeZone, ownerId: query.ownerId, team: query.team };
      const result = await chart.run(db, await resolveScope(db, reader, filters), now);
      return { filters, result };
    };

    app.get(
      `/api/v1/analytics/${name}`,
      {
        schema: {
          tags: ['analytics'],
          description: `${spec.description} Mail figures count only mailboxes you may read and leave out mail your blocklist hides.`,
          querystring: analyticsQuery,
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              timeZone: z.string(),
              items: z.array(spec.items),
              ...(spec.summary && { summary: spec.summary }),
            }),
            ...problems(400, 401),
          },
        },
      },
      async (request) => {
        const { filters, result } = await compute(request.query, requireUser(request));
        return { from: filters.from, to: filters.to, timeZone: filters.timeZone, ...result };
      },
    );

    app.get(
      `/api/v1/analytics/${name}.csv`,
      {
        schema: {
          tags: ['analytics'],
          description: `The \`${name}\` chart's items as CSV (UTF-8 with BOM), same filters.`,
          querystring: analyticsQuery,
          response: { 200: csvFile, ...problems(400, 401) },
        },
      },
      async (request, reply) => {
        const { filters, result } = await compute(request.query, requireUser(request));
        asCsvFile(reply, `${name}_${filters.from}_${filters.to}.csv`);
        return chartCsv(chart, result.items);
      },
    );
  }
}
