import { CrmError } from '../errors.ts';
import { parseDomains } from '../companies/domains.ts';
import { splitList, unguardCell } from './cells.ts';
import { type CompanyColumn, mapCompanyHeader } from './columns.ts';
import { type ImportRowError, readCsvRecords } from './read-csv.ts';

export type CompanyImportRowError = ImportRowError<CompanyColumn>;

export interface CompanyCsvRow {
  row: number;
  name: string;
  domains: string[];
  industry: string | null;
  /** The owner's email as written (lowercased); resolved to a user when importing. */
  owner: string | null;
  notes: string | null;
}

export interface ParsedCompaniesCsv {
  rows: CompanyCsvRow[];
  errors: CompanyImportRowError[];
  ignoredColumns: string[];
  encoding: string;
}

/** Domains are listed like the export writes them ("a.com; b.com"), or with commas. */
export const DOMAIN_SEPARATORS = /[;,；，、\s]+/;

/**
 * Bytes → normalised company rows and per-row errors, without touching the database. Domains go through
 * the companies API's own validation, so a row fails with the same code the API would answer with.
 */
export async function parseCompaniesCsv(bytes: Buffer): Promise<ParsedCompaniesCsv> {
  const { header, records, encoding } = await readCsvRecords(bytes);
  const { fields, ignored } = mapCompanyHeader(header);
  if (![...fields.values()].includes('name')) {
    throw new CrmError('csv_missing_column', 'The file needs a company name column (name / 公司名称).');
  }
  const rows: CompanyCsvRow[] = [];
  const errors: CompanyImportRowError[] = [];
  const seenNames = new Map<string, number>();
  const seenDomains = new Map<string, number>();
  records.forEach((record, i) => {
    const rowNumber = i + 2;
    if (record.every((cell) => !cell.trim())) return;
    const cells: Record<CompanyColumn, string[]> = { name: [], domains: [], industry: [], owner: [], notes: [] };
    for (const [index, field] of fields) {
      // Notes keep their inner line breaks; only the edges are trimmed.
      const value = unguardCell((record[index] ?? '').trim());
      if (value) cells[field].push(value);
    }
    const err = (column: CompanyColumn | null, code: string, message: string) => errors.push({ row: rowNumber, column, code, message });

    const name = cells.name[0] ?? '';
    const key = name.toLowerCase();
    if (!name) err('name', 'required', 'The company name is missing.');
    else if (name.length > 200) err('name', 'too_long', 'The company name is longer than 200 characters.');
    else if (seenNames.has(key)) err('name', 'duplicate_in_file', `${name} is also in row ${seenNames.get(key)}.`);
    else seenNames.set(key, rowNumber);

    const domains: string[] = [];
    for (const raw of cells.domains.flatMap((v) => splitList(v, DOMAIN_SEPARATORS))) {
      let domain: string;
      try {
        [domain] = parseDomains([raw]) as [string];
      } catch (error) {
        if (!(error instanceof CrmError)) throw error;
        err('domains', error.code, error.message);
        continue;
      }
      const other = seenDomains.get(domain);
      if (other !== undefined && other !== rowNumber) err('domains', 'duplicate_in_file', `${domain} is also in row ${other}.`);
      else if (!domains.includes(domain)) {
        domains.push(domain);
        seenDomains.set(domain, rowNumber);
      }
    }
    if (domains.length > 50) err('domains', 'too_long', 'At most 50 domains per company.');

    const industry = cells.industry[0] ?? null;
    if (industry && industry.length > 200) err('industry', 'too_long', 'The industry is longer than 200 characters.');
    const notes = cells.notes[0] ?? null;
    if (notes && notes.length > 20000) err('notes', 'too_long', 'The notes are longer than 20,000 characters.');
    const owner = cells.owner[0]?.toLowerCase() ?? null;
    rows.push({ row: rowNumber, name, domains, industry, owner, notes });
  });
  return { rows, errors, ignoredColumns: ignored, encoding };
}
