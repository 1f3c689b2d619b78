import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { emitCrmEvents } from '../../crm/events.ts';
import { exportCompaniesCsv, exportContactsCsv } from '../../crm/csv/export.ts';
import { importCompanies } from '../../crm/csv/import-companies.ts';
import { importContacts } from '../../crm/csv/import-contacts.ts';
import { parseCompaniesCsv } from '../../crm/csv/parse-companies.ts';
import { parseContactsCsv } from '../../crm/csv/parse-contacts.ts';
import type { RouteContext } from '../context.ts';
import { CrmError } from '../../crm/errors.ts';
import { DomainError } from '../../kernel/index.ts';
import type { ApiErrorCode } from '../error-statuses.ts';

export const CSV_IMPORT_LIMIT_BYTES = 5 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

const rowError = z.object({ row: z.number(), column: z.string().nullable(), code: z.string(), message: z.string() });
const importResponse = z.object({
  preview: z.array(z.object({
    row: z.number(), action: z.enum(['create', 'update', 'error']), name: z.string(), emails: z.array(z.string()), phones: z.array(z.string()),
    company: z.string().nullable(), title: z.string().nullable(), tags: z.array(z.string()),
  })),
  errors: z.array(rowError),
  created: z.number(),
  updated: z.number(),
  companiesCreated: z.number(),
  ignoredColumns: z.array(z.string()),
  encoding: z.string(),
  imported: z.boolean(),
});

const companyImportResponse = z.object({
  preview: z.array(z.object({
    row: z.number(), action: z.enum(['create', 'update', 'error']), name: z.string(), domains: z.array(z.string()),
    industry: z.string().nullable(), owner: z.string().nullable(), notes: z.string().nullable(),
  })),
  errors: z.array(rowError),
  created: z.number(),
  updated: z.number(),
  ignoredColumns: z.array(z.string()),
  encoding: z.string(),
  imported: z.boolean(),
});

const dryRunQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') });

/** A real run with row errors wrote nothing: a 422 carrying the same body, each error with a `path` too. */
function rejectIfErrors<R extends { errors: Array<{ row: number; column: string | null; code: string; message: string }> }>(dryRun: boolean, result: R): void {
  if (dryRun || !result.errors.length) return;
  throw new CrmError('import_rejected', `${result.errors.length} problem(s) in the file; nothing was imported.`, {
    details: {
      ...result,
      // `path` too, like every other problem's field errors.
      errors: result.errors.map((e) => ({ ...e, path: `row ${e.row}${e.column ? `.${e.column}` : ''}` })),
    },
  });
}

const notCsv = () => new DomainError<ApiErrorCode>('unsupported_media_type', 'Send the file as text/csv.');

function sendCsv(reply: { header(k: string, v: string): unknown; type(t: string): unknown; send(b: string): unknown }, name: string, body: string) {
  reply.header('content-disposition', `attachment; filename="${name}"`);
  reply.header('cache-control', 'no-store');
  reply.type('text/csv; charset=utf-8');
  return reply.send(body);
}

export function crmCsvRoutes({ app, db, services }: RouteContext): void {
  app.get('/api/v1/contacts/export.csv', { schema: { tags: ['crm'], description: 'Every contact as CSV (UTF-8 with BOM, formula-guarded cells).' } }, async (request, reply) => {
    requireUser(request);
    return sendCsv(reply, 'contacts.csv', await exportContactsCsv(db));
  });

  app.get('/api/v1/companies/export.csv', { schema: { tags: ['crm'], description: 'Every company as CSV (UTF-8 with BOM, formula-guarded cells).' } }, async (request, reply) => {
    requireUser(request);
    return sendCsv(reply, 'companies.csv', await exportCompaniesCsv(db));
  });

  // Its own plugin scope, so the text/csv parser and the 5 MB limit apply to the import routes only.
  app.register(async (scope) => {
    const child = scope.withTypeProvider<ZodTypeProvider>();
    child.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: CSV_IMPORT_LIMIT_BYTES }, (_request, body, done) => done(null, body));
    child.post('/api/v1/contacts/import', {
      bodyLimit: CSV_IMPORT_LIMIT_BYTES,
      schema: {
        tags: ['crm'],
        description: 'Imports contacts from a CSV body (text/csv; UTF-8, UTF-16 or GBK/GB18030). Columns are matched by name '
          + '(name/姓名, email/邮箱, phone/电话, company/公司, title/职位, tags/标签). All rows or none: with any row error nothing is '
          + 'written (422 import_rejected with the same body). dryRun (default true) never writes.',
        querystring: dryRunQuery,
        response: { 200: importResponse },
      },
    }, async (request, reply) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body)) throw notCsv();
      const parsed = parseContactsCsv(request.body);
      const { events, ...result } = await importContacts(db, user, parsed, { dryRun: request.query.dryRun, ip: request.ip });
      rejectIfErrors(request.query.dryRun, result);
      emitCrmEvents(services.events, events);
      return reply.send(result);
    });

    child.post('/api/v1/companies/import', {
      bodyLimit: CSV_IMPORT_LIMIT_BYTES,
      schema: {
        tags: ['crm'],
        description: 'Imports companies from a CSV body (text/csv; UTF-8, UTF-16 or GBK/GB18030). Columns are matched by name '
          + '(name/公司名称, domains/域名, industry/行业, owner (a user\'s email), notes/备注). A company with the same name '
          + '(any case) is updated: domains added, industry and notes filled. All rows or none: with any row error nothing is '
          + 'written (422 import_rejected with the same body). dryRun (default true) never writes.',
        querystring: dryRunQuery,
        response: { 200: companyImportResponse },
      },
    }, async (request, reply) => {
      const user = requireUser(request);
      if (!Buffer.isBuffer(request.body)) throw notCsv();
      const parsed = parseCompaniesCsv(request.body);
      const { events, ...result } = await importCompanies(db, user, parsed, { dryRun: request.query.dryRun, ip: request.ip });
      rejectIfErrors(request.query.dryRun, result);
      emitCrmEvents(services.events, events);
      return reply.send(result);
    });
  });
}
