import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
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

/** Characters handed to the parser between two turns of the event loop. */
const CHUNK_CHARS = 64 * 1024;

/** The text in slices that never split a surrogate pair, with a turn of the event loop before each. */
async function* slices(text: string): AsyncGenerator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    await nextTurn();
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * Bytes → header and records, for every importer. Whole-file problems (unparsable CSV, empty file, too
 * many rows) are thrown as 422s; what the columns mean is the caller's business. The text is parsed in
 * slices with the event loop running between them (a file at the row limit is a few hundred ms of
 * parsing, which would otherwise hold every other request), and reading stops at the row limit.
 */
export async function readCsvRecords(bytes: Buffer): Promise<{ header: string[]; records: string[][]; encoding: string }> {
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
  const parser = parse({ delimiter: detectDelimiter(text), relax_column_count: true, bom: true, skip_empty_lines: false });
  const input = slices(text);
  void (async () => {
    try {
      for await (const slice of input) if (!parser.write(slice)) await new Promise((resolve) => parser.once('drain', resolve));
      parser.end();
    } catch {
      // The parser failed or was destroyed: its own error (or the row limit) is reported below.
    }
  })();
  const records: string[][] = [];
  try {
    for await (const record of parser) {
      records.push(record as string[]);
      if (records.length - 1 > MAX_IMPORT_ROWS) {
        parser.destroy();
        await input.return(undefined);
        throw new CrmError('csv_too_many_rows', `Import at most ${MAX_IMPORT_ROWS} rows at a time.`);
      }
    }
  } catch (error) {
    if (error instanceof CrmError) throw error;
    const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
    throw new CrmError('csv_malformed', `The file is not valid CSV${line ? ` (near line ${line})` : ''}.`, { cause: error });
  }
  const header = records[0];
  if (!header) throw new CrmError('csv_empty', 'The file is empty.');
  return { header, records: records.slice(1), encoding };
}
