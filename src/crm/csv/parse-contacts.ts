import { z } from 'zod';
import { CrmError } from '../errors.ts';
import { EMAIL_SEPARATORS, PHONE_SEPARATORS, splitList, TAG_SEPARATORS, unguardCell } from './cells.ts';
import { type ContactColumn, mapHeader } from './columns.ts';
import { type ImportRowError as RowError, readCsvRecords } from './read-csv.ts';

export { MAX_IMPORT_ROWS } from './read-csv.ts';

export type ImportRowError = RowError<ContactColumn>;

export interface ContactCsvRow {
  row: number;
  name: string;
  emails: string[];
  phones: string[];
  company: string | null;
  title: string | null;
  tags: string[];
}

export interface ParsedContactsCsv {
  rows: ContactCsvRow[];
  errors: ImportRowError[];
  ignoredColumns: string[];
  encoding: string;
}

const email = z.email();

/**
 * Bytes → normalised rows and per-row errors, without touching the database. Whole-file problems
 * (unparsable CSV, no name column, too many rows) are thrown as 422s.
 */
export async function parseContactsCsv(bytes: Buffer): Promise<ParsedContactsCsv> {
  const { header, records, encoding } = await readCsvRecords(bytes);
  const { fields, ignored } = mapHeader(header);
  if (![...fields.values()].includes('name')) {
    throw new CrmError('csv_missing_column', 'The file needs a name column (name / 姓名).');
  }

  const rows: ContactCsvRow[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const rowNumber = i + 2;
    if (record.every((cell) => !cell.trim())) return;
    const cells: Record<ContactColumn, string[]> = { name: [], email: [], phone: [], company: [], title: [], tags: [] };
    for (const [index, field] of fields) {
      const value = unguardCell((record[index] ?? '').trim());
      if (value) cells[field].push(value);
    }
    const err = (column: ContactColumn | null, code: string, message: string) => errors.push({ row: rowNumber, column, code, message });
    const name = cells.name[0] ?? '';
    if (!name) err('name', 'required', 'The name is missing.');
    else if (name.length > 200) err('name', 'too_long', 'The name is longer than 200 characters.');

    const emails: string[] = [];
    for (const raw of cells.email.flatMap((v) => splitList(v, EMAIL_SEPARATORS))) {
      const address = raw.toLowerCase();
      if (address.length > 254 || !email.safeParse(address).success) {
        err('email', 'invalid_email', `"${raw.slice(0, 100)}" is not an email address.`);
      } else if (seen.has(address) && seen.get(address) !== rowNumber) {
        err('email', 'duplicate_in_file', `${address} is also in row ${seen.get(address)}.`);
      } else if (!emails.includes(address)) {
        emails.push(address);
        seen.set(address, rowNumber);
      }
    }
    const phones = cells.phone.flatMap((v) => splitList(v, PHONE_SEPARATORS));
    if (phones.some((p) => p.length > 50)) err('phone', 'too_long', 'A phone number is longer than 50 characters.');
    const company = cells.company[0] ?? null;
    if (company && company.length > 200) err('company', 'too_long', 'The company name is longer than 200 characters.');
    const title = cells.title[0] ?? null;
    if (title && title.length > 200) err('title', 'too_long', 'The title is longer than 200 characters.');
    const tags = [...new Set(cells.tags.flatMap((v) => splitList(v, TAG_SEPARATORS)))];
    if (tags.some((t) => t.length > 50) || tags.length > 50) err('tags', 'too_long', 'At most 50 tags of up to 50 characters.');
    rows.push({ row: rowNumber, name, emails, phones, company, title, tags });
  });
  return { rows, errors, ignoredColumns: ignored, encoding };
}
