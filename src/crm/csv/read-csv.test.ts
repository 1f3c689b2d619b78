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
  it('reads a large file exactly as a one-shot parse does', async () => {
    const text = bigCsv(MAX_IMPORT_ROWS);
    const [header, ...records] = parse(text, { relax_column_count: true, bom: true }) as string[][];
    const read = await readCsvRecords(Buffer.from(text, 'utf8'));
    expect(read.header).toEqual(header);
    expect(read.records.length).toBe(MAX_IMPORT_ROWS);
    expect(read.records).toEqual(records);
  });

  it('lets the event loop run while it reads, so one import does not stall every other request', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await readCsvRecords(Buffer.from(bigCsv(MAX_IMPORT_ROWS), 'utf8'));
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops at the row limit and reports malformed CSV with its line', async () => {
    await expect(readCsvRecords(Buffer.from(bigCsv(MAX_IMPORT_ROWS + 1), 'utf8'))).rejects.toMatchObject({ code: 'csv_too_many_rows' });
    await expect(readCsvRecords(Buffer.from('name,email\n"a,b\n'))).rejects.toMatchObject({ code: 'csv_malformed' });
    await expect(readCsvRecords(Buffer.from(''))).rejects.toMatchObject({ code: 'csv_empty' });
  });
});
