import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_ROWS, readCsvRecords } from './read-csv.ts';

/** A big, awkward file: quoted commas and newlines, CJK and emoji (surrogate pairs) everywhere. */
function bigCsv(rows: number): string {
  const lines = ['name,email,notes'];
  for (let i = 0; i < rows; i++)
    lines.push(`"张伟 ${i} 😀","z${i}@example.com","line one, ${'字'.repeat(i % 97)}\nline two 👍🏽 ""quoted"""`);
  return `${lines.join('\r\n')}\r\n`;
}

describe('readCsvRecords', () => {
  it('reads a large file exactly as a plain parse does', () => {
    const text = bigCsv(MAX_IMPORT_ROWS);
    const [header, ...records] = parse(text, { relax_column_count: true, bom: true }) as string[][];
    const read = readCsvRecords(Buffer.from(text, 'utf8'));
    expect(read.header).toEqual(header);
    expect(read.records.length).toBe(MAX_IMPORT_ROWS);
    expect(read.records).toEqual(records);
  });

  it('stops at the row limit and reports malformed CSV with its line', () => {
    expect(() => readCsvRecords(Buffer.from(bigCsv(MAX_IMPORT_ROWS + 1), 'utf8'))).toThrow(
      expect.objectContaining({ code: 'csv_too_many_rows' }),
    );
    expect(() => readCsvRecords(Buffer.from('name,email\n"a,b\n'))).toThrow(expect.objectContaining({ code: 'csv_malformed' }));
    expect(() => readCsvRecords(Buffer.from(''))).toThrow(expect.objectContaining({ code: 'csv_empty' }));
  });
});
