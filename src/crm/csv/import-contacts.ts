import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../audit/index.ts';
import type { User } from '../../auth/tables.ts';
import type { Database } from '../../db/schema.ts';
import { findCompanyIdByName, insertCompany } from '../companies/repository.ts';
import { addContactEmails } from '../contacts/emails.ts';
import { findContact, insertContact, updateContact } from '../contacts/repository.ts';
import { contactCreatedEvents, type CrmEvent, recordChanged } from '../events.ts';
import { emptyImportResult, type ImportRun, importAllOrNothing, type RowAction } from './all-or-nothing.ts';
import type { ContactCsvRow, ImportRowError, ParsedContactsCsv } from './parse-contacts.ts';

export interface ImportPreviewRow extends ContactCsvRow {
  action: 'create' | 'update' | 'error';
}

export interface ImportResult {
  preview: ImportPreviewRow[];
  errors: ImportRowError[];
  created: number;
  updated: number;
  companiesCreated: number;
  ignoredColumns: string[];
  encoding: string;
  /** True only when the rows were written (no errors, not a dry run). */
  imported: boolean;
  events: CrmEvent[];
}

/**
 * Writes the parsed rows in one transaction: a row whose address belongs to an existing contact updates
 * it (name, title, company; phones, tags and addresses are added), any other row creates a contact.
 * Companies are matched by name, case-insensitively, or created. The transaction is rolled back when
 * any row has an error or on a dry run, so the counts and the preview are exactly what a real run does.
 */
export async function importContacts(
  db: Kysely<Database>,
  actor: Actor,
  parsed: ParsedContactsCsv,
  dryRun: boolean,
): Promise<ImportResult> {
  const result: ImportResult = { ...emptyImportResult(parsed), companiesCreated: 0 };
  // Companies found or created by earlier rows of this file.
  const companies = new Map<string, string>();
  await importAllOrNothing(db, actor, parsed.rows, result, dryRun, {
    importRow: (trx, row) => importRow({ trx, user: actor.user, result }, row, companies),
    audit: () => {
      const { created, updated, companiesCreated } = result;
      return { action: 'contact.import', targetType: 'contact', detail: { created, updated, companiesCreated } };
    },
  });
  return result;
}

async function importRow(run: ImportRun<ImportResult>, row: ContactCsvRow, companies: Map<string, string>): Promise<RowAction> {
  const { trx, user, result } = run;
  const owners = row.emails.length
    ? await trx.selectFrom('contact_emails').select('contact_id').where('address', 'in', row.emails).execute()
    : [];
  const ids = [...new Set(owners.map((o) => o.contact_id))];
  if (ids.length > 1) {
    result.errors.push({
      row: row.row,
      column: 'email',
      code: 'email_conflict',
      message: 'These addresses belong to different existing contacts.',
    });
    return null;
  }
  const existing = ids[0] ? await findContact(trx, ids[0]) : undefined;
  if (existing && user.role !== 'admin' && existing.owner_user_id !== user.id) {
    result.errors.push({
      row: row.row,
      column: 'email',
      code: 'not_owner',
      message: 'An address in this row belongs to a contact you cannot edit.',
    });
    return null;
  }
  const companyId = row.company ? await companyFor(trx, user, row.company, companies, result) : undefined;
  const phones = row.phones.map((number) => ({ label: null, number }));
  if (existing) {
    const known = new Set(existing.phones.map((p) => p.number));
    await updateContact(trx, existing.id, {
      name: row.name,
      ...(row.title && { title: row.title }),
      ...(companyId && { companyId }),
      phones: [...existing.phones, ...phones.filter((p) => !known.has(p.number))],
      tags: [...new Set([...existing.tags, ...row.tags])],
    });
    result.events.push(...(await addContactEmails(trx, existing.id, row.emails)));
    const changed = ['name', ...(row.title ? ['title'] : []), ...(companyId ? ['companyId'] : []), 'phones', 'tags', 'emails'];
    result.events.push(...recordChanged('contact', existing.id, 'updated', user.id, changed));
    result.updated++;
    return 'update';
  }
  const id = await insertContact(trx, {
    name: row.name,
    companyId: companyId ?? null,
    title: row.title,
    phones,
    ownerUserId: user.id,
    tags: row.tags,
    notes: null,
  });
  await addContactEmails(trx, id, row.emails);
  result.events.push(...contactCreatedEvents(id, row.emails), ...recordChanged('contact', id, 'created', user.id));
  result.created++;
  return 'create';
}

async function companyFor(
  trx: Transaction<Database>,
  user: User,
  name: string,
  cache: Map<string, string>,
  result: ImportResult,
): Promise<string> {
  const key = name.trim().toLowerCase();
  const cached = cache.get(key);
  if (cached) return cached;
  let id = await findCompanyIdByName(trx, name);
  if (!id) {
    id = (await insertCompany(trx, { name: name.trim(), industry: null, notes: null, ownerUserId: user.id, domains: [] })).id;
    result.events.push(...recordChanged('company', id, 'created', user.id));
    result.companiesCreated++;
  }
  cache.set(key, id);
  return id;
}
