import { CrmError } from '../errors.ts';
import { unguardCell } from './cells.ts';
import type { HeaderMap } from './columns.ts';
import { type ImportRowError, readCsvRecords } from './read-csv.ts';

/** What an importer's parse step hands to its import step. */
export interface ParsedCsv<Row, C extends string> {
  rows: Row[];
  errors: ImportRowError<C>[];
  ignoredColumns: string[];
  encoding: string;
}

/** Records a problem of the row being read. */
export type RowProblem<C extends string> = (column: C | null, code: string, message: string) => void;

/** One importer's reading of a file: its columns, their header names, and what one row becomes. */
export interface CsvRowSpec<C extends string, Row> {
  columns: readonly C[];
  mapHeader: (header: string[]) => HeaderMap<C>;
  /** The csv_missing_column message when no column is a `name` column. */
  missingName: string;
  /**
   * A record that is not blank → its row. `cells` holds each column's non-empty values, trimmed at the
   * edges only (notes keep their inner line breaks) and with the export's formula guard taken off.
   */
  toRow: (cells: Record<C, string[]>, rowNumber: number, problem: RowProblem<C>) => Row;
}

/**
 * Bytes → normalised rows and per-row problems, without touching the database. Whole-file problems
 * (unparsable CSV, no name column, too many rows) are thrown as 422s.
 */
export function parseCsvRows<C extends string, Row>(bytes: Buffer, spec: CsvRowSpec<C, Row>): ParsedCsv<Row, C> {
  const { header, records, encoding } = readCsvRecords(bytes);
  const { fields, ignored } = spec.mapHeader(header);
  if (![...fields.values()].includes('name' as C)) throw new CrmError('csv_missing_column', spec.missingName);
  const rows: Row[] = [];
  const errors: ImportRowError<C>[] = [];
  records.forEach((record, i) => {
    const rowNumber = i + 2;
    if (record.every((cell) => !cell.trim())) return;
    const cells = Object.fromEntries(spec.columns.map((column) => [column, [] as string[]])) as Record<C, string[]>;
    for (const [index, field] of fields) {
      const value = unguardCell((record[index] ?? '').trim());
      if (value) cells[field].push(value);
    }
    rows.push(spec.toRow(cells, rowNumber, (column, code, message) => errors.push({ row: rowNumber, column, code, message })));
  });
  return { rows, errors, ignoredColumns: ignored, encoding };
}
