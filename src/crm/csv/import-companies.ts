import { type Kysely, sql, type Transaction } from 'kysely';
import type { Actor } from '../../audit/index.ts';
import type { Database } from '../../db/schema.ts';
import { findCompany, findCompanyIdByName, insertCompany, updateCompany } from '../companies/repository.ts';
import { type CrmEvent, recordChanged } from '../events.ts';
import { emptyImportResult, type ImportRun, importAllOrNothing, type RowAction } from './all-or-nothing.ts';
import type { CompanyCsvRow, CompanyImportRowError, ParsedCompaniesCsv } from './parse-companies.ts';

export interface CompanyImportPreviewRow extends CompanyCsvRow {
  action: 'create' | 'update' | 'error';
}

export interface CompanyImportResult {
  preview: CompanyImportPreviewRow[];
  errors: CompanyImportRowError[];
  created: number;
  updated: number;
  ignoredColumns: string[];
  encoding: string;
  /** True only when the rows were written (no errors, not a dry run). */
  imported: boolean;
  events: CrmEvent[];
}

/**
 * Writes the parsed rows in one transaction, like the contacts import: a row naming an existing company
 * (case-insensitively) fills in its domains (added), industry and notes (when the row has them) and keeps
 * its owner; any other row creates a company owned by the row's owner, or the caller. Rolled back when
 * any row has an error or on a dry run, so the counts and the preview are what a real run does.
 */
export async function importCompanies(
  db: Kysely<Database>,
  actor: Actor,
  parsed: ParsedCompaniesCsv,
  dryRun: boolean,
): Promise<CompanyImportResult> {
  const result: CompanyImportResult = emptyImportResult(parsed);
  let owners = new Map<string, string>();
  await importAllOrNothing(db, actor, parsed.rows, result, dryRun, {
    start: async (trx) => {
      owners = await ownerIds(trx, parsed.rows);
    },
    importRow: (trx, row) => importRow({ trx, user: actor.user, result }, row, owners),
    audit: () => ({ action: 'company.import', targetType: 'company', detail: { created: result.created, updated: result.updated } }),
  });
  return result;
}

/** Owner emails named in the file → ids of active users, in one query. */
async function ownerIds(trx: Transaction<Database>, rows: CompanyCsvRow[]): Promise<Map<string, string>> {
  const emails = [...new Set(rows.map((r) => r.owner).filter((o): o is string => !!o))];
  if (!emails.length) return new Map();
  const users = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('active', '=', true)
    .where(sql<string>`lower(email)`, 'in', emails)
    .execute();
  return new Map(users.map((u) => [u.email.toLowerCase(), u.id]));
}

async function importRow(run: ImportRun<CompanyImportResult>, row: CompanyCsvRow, owners: Map<string, string>): Promise<RowAction> {
  const { trx, user, result } = run;
  const err = (column: CompanyImportRowError['column'], code: string, message: string) => {
    result.errors.push({ row: row.row, column, code, message });
    return null;
  };
  let ownerUserId = user.id;
  if (row.owner) {
    const id = owners.get(row.owner);
    if (!id) return err('owner', 'unknown_owner', 'The owner is not an active user of this workspace.');
    // Members cannot give records to someone else, as in the companies API.
    if (id !== user.id && user.role !== 'admin')
      return err('owner', 'owner_not_allowed', 'Only admins can assign a company to someone else.');
    ownerUserId = id;
  }
  const existingId = await findCompanyIdByName(trx, row.name);
  const existing = existingId ? await findCompany(trx, existingId) : undefined;
  if (existing && user.role !== 'admin' && existing.owner_user_id !== user.id) {
    return err('name', 'not_owner', 'This company exists and you cannot edit it.');
  }
  if (row.domains.length) {
    const held = await trx.selectFrom('company_domains').select('company_id').where('domain', 'in', row.domains).execute();
    // Like the API, the message does not say which company holds the domain.
    if (held.some((d) => d.company_id !== existing?.id))
      return err('domains', 'domain_in_use', 'One of these domains already belongs to another company.');
  }
  if (existing) {
    result.events.push(
      ...(await updateCompany(trx, existing.id, {
        ...(row.industry && { industry: row.industry }),
        ...(row.notes && { notes: row.notes }),
        ...(row.domains.length && { domains: [...new Set([...existing.domains, ...row.domains])] }),
      })),
    );
    const changed = [...(row.industry ? ['industry'] : []), ...(row.notes ? ['notes'] : []), ...(row.domains.length ? ['domains'] : [])];
    result.events.push(...recordChanged('company', existing.id, 'updated', user.id, changed));
    result.updated++;
    return 'update';
  }
  const { id, events } = await insertCompany(trx, {
    name: row.name,
    industry: row.industry,
    notes: row.notes,
    ownerUserId,
    domains: row.domains,
  });
  result.events.push(...events, ...recordChanged('company', id, 'created', user.id));
  result.created++;
  return 'create';
}
