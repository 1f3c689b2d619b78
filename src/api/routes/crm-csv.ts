import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { importCompaniesCsv, importContactsCsv } from '../../crm/csv/commands.ts';
import { exportCompaniesCsv, exportContactsCsv } from '../../crm/csv/export.ts';
import { DomainError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import type { ApiErrorCode } from '../error-statuses.ts';
import { booleanQuery } from '../query-schemas.ts';
import { actorOf } from '../request-actor.ts';
import { problems } from './crm-schemas.ts';
import { crmDeps } from './crm-record-routes.ts';

export const CSV_IMPORT_LIMIT_BYTES = 5 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

const rowError = z.object({ row: z.number(), column: z.string().nullable(), code: z.string(), message: z.string() });
/**
 * The answer of a CSV import: each row's preview (what it would do, and its fields of the kind), the rows'
 * errors and the counts; `imported` is false on a dry run.
 */
function importResponseOf<Preview extends z.ZodRawShape, Counts extends z.ZodRawShape = Record<never, never>>(
  previewFields: Preview,
  moreCounts?: Counts,
) {
  return z.object({
    preview: z.array(z.object({ row: z.number(), action: z.enum(['create', 'update', 'error']), name: z.string(), ...previewFields })),
    errors: z.array(rowError),
    created: z.number(),
    updated: z.number(),
    ...(moreCounts as Counts),
    ignoredColumns: z.array(z.string()),
    encoding: z.string(),
    imported: z.boolean(),
  });
}

const importResponse = importResponseOf(
  {
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    company: z.string().nullable(),
    title: z.string().nullable(),
    tags: z.array(z.string()),
  },
  { companiesCreated: z.number() },
);

const companyImportResponse = importResponseOf({
  domains: z.array(z.string()),
  industry: z.string().nullable(),
  owner: z.string().nullable(),
  notes: z.string().nullable(),
});

const dryRunQuery = z.strictObject({ dryRun: booleanQuery.default(true) });
const csvFile = {
  description: 'The CSV file',
  content: { 'text/csv': { schema: z.string().describe('UTF-8 with a BOM, formula-guarded cells') } },
};

const notCsv = () => new DomainError<ApiErrorCode>('unsupported_media_type', 'Send the file as text/csv.');

/** Marks the answer as a CSV download; the handler returns the file's text. */
function asCsvFile(reply: FastifyReply, name: string): void {
  reply.header('content-disposition', `attachment; filename="${name}"`);
  reply.header('cache-control', 'no-store');
  reply.type('text/csv; charset=utf-8');
}

const csvExports = [
  { path: '/api/v1/contacts/export.csv', file: 'contacts.csv', what: 'contact', run: exportContactsCsv },
  { path: '/api/v1/companies/export.csv', file: 'companies.csv', what: 'company', run: exportCompaniesCsv },
] as const;

const importRule =
  'All rows or none: with any row error nothing is written (422 import_rejected with the same body). dryRun (default true) never writes.';
const csvImports = [
  {
    path: '/api/v1/contacts/import',
    description:
      'Imports contacts from a CSV body (text/csv; UTF-8, UTF-16 or GBK/GB18030). Columns are matched by name ' +
      `(name/姓名, email/邮箱, phone/电话, company/公司, title/职位, tags/标签). ${importRule}`,
    response: importResponse,
    run: importContactsCsv,
  },
  {
    path: '/api/v1/companies/import',
    description:
      'Imports companies from a CSV body (text/csv; UTF-8, UTF-16 or GBK/GB18030). Columns are matched by name ' +
      "(name/公司名称, domains/域名, industry/行业, owner (a user's email), notes/备注). A company with the same name " +
      `(any case) is updated: domains added, industry and notes filled. ${importRule}`,
    response: companyImportResponse,
    run: importCompaniesCsv,
  },
];

export function crmCsvRoutes(context: RouteContext): void {
  const { app, db } = context;
  const deps = crmDeps(context);
  for (const e of csvExports) {
    app.get(
      e.path,
      {
        schema: {
          tags: ['crm'],
          description: `Every ${e.what} as CSV (UTF-8 with BOM, formula-guarded cells).`,
          response: { 200: csvFile, ...problems(401) },
        },
      },
      async (request, reply) => {
        requireUser(request);
        const file = await e.run(db);
        asCsvFile(reply, e.file);
        return file;
      },
    );
  }

  // Its own plugin scope, so the text/csv parser and the 5 MB limit apply to the import routes only.
  app.register(async (scope) => {
    const child = scope.withTypeProvider<ZodTypeProvider>();
    child.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: CSV_IMPORT_LIMIT_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    for (const i of csvImports) {
      child.post(
        i.path,
        {
          bodyLimit: CSV_IMPORT_LIMIT_BYTES,
          schema: {
            tags: ['crm'],
            description: i.description,
            querystring: dryRunQuery,
            response: { 200: i.response, ...problems(400, 401, 413, 415, 422) },
          },
        },
        async (request, reply) => {
          const actor = actorOf(request);
          if (!Buffer.isBuffer(request.body)) throw notCsv();
          return reply.send(await i.run(deps, actor, request.body, request.query.dryRun));
        },
      );
    }
  });
}
