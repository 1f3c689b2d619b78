import { z } from 'zod';
import { EMAIL_SEPARATORS, PHONE_SEPARATORS, splitList, TAG_SEPARATORS } from './cells.ts';
import { CONTACT_COLUMNS, type ContactColumn, mapHeader } from './columns.ts';
import { type ParsedCsv, parseCsvRows } from './csv-rows.ts';
import type { ImportRowError as RowError } from './read-csv.ts';

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

export type ParsedContactsCsv = ParsedCsv<ContactCsvRow, ContactColumn>;

/** As many as the contacts API takes for one contact; it also bounds the import's look-up of a row's addresses. */
export const MAX_EMAILS_PER_ROW = 20;

const email = z.email();

/**
 * Bytes → normalised contact rows and per-row errors, without touching the database. Whole-file problems
 * (unparsable CSV, no name column, too many rows) are thrown as 422s.
 */
export function parseContactsCsv(bytes: Buffer): ParsedContactsCsv {
  // Each address's first row, to report an address given twice.
  const seen = new Map<string, number>();
  return parseCsvRows(bytes, {
    columns: CONTACT_COLUMNS,
    mapHeader,
    missingName: 'The file needs a name column (name / 姓名).',
    toRow: (cells, rowNumber, problem) => {
      const name = cells.name[0] ?? '';
      if (!name) problem('name', 'required', 'The name is missing.');
      else if (name.length > 200) problem('name', 'too_long', 'The name is longer than 200 characters.');

      const emails = new Set<string>();
      // Each address once, lowercased, as written (for the messages).
      const written = new Map(cells.email.flatMap((v) => splitList(v, EMAIL_SEPARATORS)).map((raw) => [raw.toLowerCase(), raw]));
      if (written.size > MAX_EMAILS_PER_ROW) {
        problem('email', 'too_many', `At most ${MAX_EMAILS_PER_ROW} email addresses per contact.`);
      } else {
        for (const [address, raw] of written) {
          const other = seen.get(address);
          if (address.length > 254 || !email.safeParse(address).success) {
            problem('email', 'invalid_email', `"${raw.slice(0, 100)}" is not an email address.`);
          } else if (other !== undefined && other !== rowNumber) {
            problem('email', 'duplicate_in_file', `${address} is also in row ${other}.`);
          } else {
            emails.add(address);
            seen.set(address, rowNumber);
          }
        }
      }
      const phones = cells.phone.flatMap((v) => splitList(v, PHONE_SEPARATORS));
      if (phones.some((p) => p.length > 50)) problem('phone', 'too_long', 'A phone number is longer than 50 characters.');
      const company = cells.company[0] ?? null;
      if (company && company.length > 200) problem('company', 'too_long', 'The company name is longer than 200 characters.');
      const title = cells.title[0] ?? null;
      if (title && title.length > 200) problem('title', 'too_long', 'The title is longer than 200 characters.');
      const tags = [...new Set(cells.tags.flatMap((v) => splitList(v, TAG_SEPARATORS)))];
      if (tags.some((t) => t.length > 50) || tags.length > 50) problem('tags', 'too_long', 'At most 50 tags of up to 50 characters.');
      return { row: rowNumber, name, emails: [...emails], phones, company, title, tags };
    },
  });
}
