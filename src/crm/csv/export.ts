import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/schema.ts';
import { companySortFields, listCompanies } from '../companies/repository.ts';
import { contactSortFields, listContacts } from '../contacts/repository.ts';
import { type Cursor, decodeCursor, sortSpec } from '../shared/keyset.ts';
import { guardCell } from './cells.ts';

const BATCH = 500;

/**
 * UTF-8 with a BOM (without it Excel reads UTF-8 as the ANSI code page and Chinese turns to mojibake),
 * CRLF line ends, quotes where needed, and every cell guarded against formula injection.
 */
function toCsv(header: string[], rows: string[][]): string {
  return stringify([header, ...rows.map((r) => r.map(guardCell))], { bom: true, record_delimiter: 'windows' });
}

async function ownerEmails(db: Kysely<Database>): Promise<Map<string, string>> {
  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  return new Map(users.map((u) => [u.id, u.email]));
}

/** Every contact, by name. Header names are the ones the importer reads, so the file imports back. */
export async function exportContactsCsv(db: Kysely<Database>): Promise<string> {
  const owners = await ownerEmails(db);
  const spec = sortSpec('name', contactSortFields, 'c.id');
  const rows: string[][] = [];
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await listContacts(db, {}, spec, cursor, BATCH);
    for (const c of page.rows) {
      rows.push([
        c.name,
        c.emails.map((e) => e.address).join('; '),
        c.phones.map((p) => p.number).join('; '),
        c.company_name ?? '',
        c.title ?? '',
        c.tags.join('; '),
        owners.get(c.owner_user_id) ?? '',
        new Date(c.created_at).toISOString(),
      ]);
    }
    if (!page.nextCursor) break;
    cursor = decodeCursor(page.nextCursor, spec.name);
  }
  return toCsv(['name', 'email', 'phone', 'company', 'title', 'tags', 'owner', 'created_at'], rows);
}

export async function exportCompaniesCsv(db: Kysely<Database>): Promise<string> {
  const owners = await ownerEmails(db);
  const spec = sortSpec('name', companySortFields, 'co.id');
  const rows: string[][] = [];
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await listCompanies(db, {}, spec, cursor, BATCH);
    for (const c of page.rows) {
      rows.push([
        c.name,
        c.domains.join('; '),
        c.industry ?? '',
        owners.get(c.owner_user_id) ?? '',
        c.notes ?? '',
        new Date(c.created_at).toISOString(),
      ]);
    }
    if (!page.nextCursor) break;
    cursor = decodeCursor(page.nextCursor, spec.name);
  }
  return toCsv(['name', 'domains', 'industry', 'owner', 'notes', 'created_at'], rows);
}
