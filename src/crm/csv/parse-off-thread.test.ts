import { afterAll, describe, expect, it } from 'vitest';
import { CrmError } from '../errors.ts';
import { MAX_IMPORT_ROWS } from './read-csv.ts';
import { parseCompaniesCsv } from './parse-companies.ts';
import { parseContactsCsv } from './parse-contacts.ts';
import { CsvParseThread } from './parse-off-thread.ts';

function contactsCsv(rows: number): Buffer {
  const lines = ['姓名,邮箱,标签'];
  for (let i = 0; i < rows; i++) lines.push(`"张伟 ${i}",z${i}@example.com,"vip;${i % 7}"`);
  return Buffer.from(lines.join('\r\n'));
}

describe('CsvParseThread', () => {
  const thread = new CsvParseThread();
  afterAll(() => thread.close());

  it('answers what reading the file in this thread answers', async () => {
    const contacts = contactsCsv(500);
    const companies = Buffer.from('公司,域名\nA,"@Example.COM, 例子.中国"\nB,163.com\n');
    // Several at once: they queue for the one worker and each gets its own answer.
    const [c, co, again] = await Promise.all([
      thread.parse('contacts', contacts),
      thread.parse('companies', companies),
      thread.parse('contacts', contactsCsv(3)),
    ]);
    expect(c).toEqual(parseContactsCsv(contacts));
    expect(co).toEqual(parseCompaniesCsv(companies));
    expect(again.rows).toHaveLength(3);
  });

  it('leaves this thread free while it reads', async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      // Read on this thread, the file would be read in one piece before any timer could fire.
      const turnsWhileReading = await thread.parse('contacts', contactsCsv(MAX_IMPORT_ROWS)).then(() => turns);
      expect(turnsWhileReading).toBeGreaterThan(10);
    } finally {
      clearInterval(timer);
    }
  });

  it('refuses a whole file with the same CrmError as in this thread', async () => {
    const refusal = thread.parse('contacts', contactsCsv(MAX_IMPORT_ROWS + 1));
    await expect(refusal).rejects.toBeInstanceOf(CrmError);
    await expect(refusal).rejects.toMatchObject({ code: 'csv_too_many_rows' });
    await expect(thread.parse('companies', Buffer.from('industry\nx\n'))).rejects.toMatchObject({ code: 'csv_missing_column' });
  });

  it('gives up on a file that reads too long, and takes the next one in a new worker', async () => {
    const impatient = new CsvParseThread({ timeoutMs: 1 });
    try {
      const [first, second] = await Promise.allSettled([
        impatient.parse('contacts', contactsCsv(MAX_IMPORT_ROWS)),
        impatient.parse('contacts', contactsCsv(MAX_IMPORT_ROWS)),
      ]);
      expect(first).toMatchObject({ status: 'rejected', reason: { code: 'csv_too_complex' } });
      expect(second).toMatchObject({ status: 'rejected', reason: { code: 'csv_too_complex' } });
    } finally {
      await impatient.close();
    }
  });
});
