import { CsvError, parse } from 'csv-parse/sync';
import { CrmError } from '../errors.ts';
import { decodeCsvBytes, detectDelimiter } from './decode.ts';

export const MAX_IMPORT_ROWS = 10_000;

export interface ImportRowError<C extends string = string> {
  /** Spreadsheet row number: the header is row 1, the first data row 2. */
  row: number;
  column: C | null;
  code: string;
  message: string;
}

/**
 * Bytes → header and records, for every importer. Whole-file problems (unparsable CSV, empty file, too
 * many rows) are thrown as 422s; what the columns mean is the caller's business. Synchronous on purpose:
 * it runs in the CSV worker thread (csv-worker.ts), never on the thread that answers requests. Reading
 * stops one record past the row limit.
 */
export function readCsvRecords(bytes: Buffer): { header: string[]; records: string[][]; encoding: string } {
  const { text, encoding } = decodeCsvBytes(bytes);
  // PostgreSQL text cannot hold U+0000; a file full of them is usually UTF-16 saved without its byte order mark.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new CrmError(
      'csv_malformed',
      `The file holds a NUL character (line ${line}); save it as CSV text (UTF-8, or UTF-16 with its BOM).`,
    );
  }
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      bom: true,
      skip_empty_lines: false,
      // The header, the rows allowed, and one more to tell that there are too many.
      to: MAX_IMPORT_ROWS + 2,
    }) as string[][];
  } catch (error) {
    const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
    throw new CrmError('csv_malformed', `The file is not valid CSV${line ? ` (near line ${line})` : ''}.`, { cause: error });
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) throw new CrmError('csv_too_many_rows', `Import at most ${MAX_IMPORT_ROWS} rows at a time.`);
  const header = records[0];
  if (!header) throw new CrmError('csv_empty', 'The file is empty.');
  return { header, records: records.slice(1), encoding };
}
