import { parseDomains } from '../companies/domains.ts';
import { CrmError } from '../errors.ts';
import { splitList } from './cells.ts';
import { COMPANY_COLUMNS, type CompanyColumn, mapCompanyHeader } from './columns.ts';
import { type ParsedCsv, parseCsvRows } from './csv-rows.ts';
import type { ImportRowError } from './read-csv.ts';

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

export type ParsedCompaniesCsv = ParsedCsv<CompanyCsvRow, CompanyColumn>;

/** Domains are listed like the export writes them ("a.com; b.com"), or with commas. */
export const DOMAIN_SEPARATORS = /[;,；，、\s]+/;

/**
 * Bytes → normalised company rows and per-row errors, without touching the database. Domains go through
 * the companies API's own validation, so a row fails with the same code the API would answer with.
 */
export function parseCompaniesCsv(bytes: Buffer): ParsedCompaniesCsv {
  // Each name's and domain's first row, to report one given twice.
  const seenNames = new Map<string, number>();
  const seenDomains = new Map<string, number>();
  return parseCsvRows(bytes, {
    columns: COMPANY_COLUMNS,
    mapHeader: mapCompanyHeader,
    missingName: 'The file needs a company name column (name / 公司名称).',
    toRow: (cells, rowNumber, problem) => {
      const name = cells.name[0] ?? '';
      const key = name.toLowerCase();
      if (!name) problem('name', 'required', 'The company name is missing.');
      else if (name.length > 200) problem('name', 'too_long', 'The company name is longer than 200 characters.');
      else if (seenNames.has(key)) problem('name', 'duplicate_in_file', `${name} is also in row ${seenNames.get(key)}.`);
      else seenNames.set(key, rowNumber);

      const domains = new Set<string>();
      for (const raw of cells.domains.flatMap((v) => splitList(v, DOMAIN_SEPARATORS))) {
        let domain: string;
        try {
          [domain] = parseDomains([raw]) as [string];
        } catch (error) {
          if (!(error instanceof CrmError)) throw error;
          problem('domains', error.code, error.message);
          continue;
        }
        const other = seenDomains.get(domain);
        if (other !== undefined && other !== rowNumber) problem('domains', 'duplicate_in_file', `${domain} is also in row ${other}.`);
        else {
          domains.add(domain);
          seenDomains.set(domain, rowNumber);
        }
      }
      if (domains.size > 50) problem('domains', 'too_long', 'At most 50 domains per company.');

      const industry = cells.industry[0] ?? null;
      if (industry && industry.length > 200) problem('industry', 'too_long', 'The industry is longer than 200 characters.');
      const notes = cells.notes[0] ?? null;
      if (notes && notes.length > 20000) problem('notes', 'too_long', 'The notes are longer than 20,000 characters.');
      const owner = cells.owner[0]?.toLowerCase() ?? null;
      return { row: rowNumber, name, domains: [...domains], industry, owner, notes };
    },
  });
}
