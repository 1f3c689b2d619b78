import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/schema.ts';
import { companySortFields, listCompanies } from '../companies/repository.ts';
import { contactSortFields, listContacts } from '../contacts/repository.ts';
import { type Cursor, decodeCursor, type SortField, type SortSpec, sortSpec } from '../shared/keyset.ts';
import { guardCell } from './cells.ts';

const BATCH = 500;

/** One record type's export: its columns, how to page through it by name, and one record's cells. */
interface CsvExport<R extends { owner_user_id: string }> {
  header: string[];
  sortFields: Record<string, SortField>;
  idColumn: string;
  list: (db: Kysely<Database>, spec: SortSpec, cursor: Cursor | null, limit: number) => Promise<{ rows: R[]; nextCursor: string | null }>;
  cells: (record: R, ownerEmail: string) => string[];
}

/**
 * Every record of one type, by name, as a CSV file: UTF-8 with a BOM (without it Excel reads UTF-8 as the
 * ANSI code page and Chinese turns to mojibake), CRLF line ends, quotes where needed, and every cell
 * guarded against formula injection. Header names are the ones the importer reads, so the file imports back.
 */
async function exportCsv<R extends { owner_user_id: string }>(db: Kysely<Database>, what: CsvExport<R>): Promise<string> {
  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  const owners = new Map(users.map((u) => [u.id, u.email]));
  const spec = sortSpec('name', what.sortFields, what.idColumn);
  const rows: string[][] = [];
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await what.list(db, spec, cursor, BATCH);
    for (const record of page.rows) {
      rows.push(what.cells(record, owners.get(record.owner_user_id) ?? '').map(guardCell));
    }
    if (!page.nextCursor) break;
    cursor = decodeCursor(page.nextCursor, spec.name);
  }
  return stringify([what.header, ...rows], { bom: true, record_delimiter: 'windows' });
}

type ContactRecord = Awaited<ReturnType<typeof listContacts>>['rows'][number];
type CompanyRecord = Awaited<ReturnType<typeof listCompanies>>['rows'][number];

export function exportContactsCsv(db: Kysely<Database>): Promise<string> {
  return exportCsv<ContactRecord>(db, {
    header: ['name', 'email', 'phone', 'company', 'title', 'tags', 'owner', 'created_at'],
    sortFields: contactSortFields,
    idColumn: 'c.id',
    list: (db, spec, cursor, limit) => listContacts(db, {}, spec, cursor, limit),
    cells: (c, owner) => [
      c.name,
      c.emails.map((e) => e.address).join('; '),
      c.phones.map((p) => p.number).join('; '),
      c.company_name ?? '',
      c.title ?? '',
      c.tags.join('; '),
      owner,
      new Date(c.created_at).toISOString(),
    ],
  });
}

export function exportCompaniesCsv(db: Kysely<Database>): Promise<string> {
  return exportCsv<CompanyRecord>(db, {
    header: ['name', 'domains', 'industry', 'owner', 'notes', 'created_at'],
    sortFields: companySortFields,
    idColumn: 'co.id',
    list: (db, spec, cursor, limit) => listCompanies(db, {}, spec, cursor, limit),
    cells: (c, owner) => [c.name, c.domains.join('; '), c.industry ?? '', owner, c.notes ?? '', new Date(c.created_at).toISOString()],
  });
}
