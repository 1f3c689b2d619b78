import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { guardCell, unguardCell } from './cells.ts';
import { mapCompanyHeader, mapHeader } from './columns.ts';
import { decodeCsvBytes, detectDelimiter } from './decode.ts';
import { parseCompaniesCsv } from './parse-companies.ts';
import { MAX_EMAILS_PER_ROW, parseContactsCsv } from './parse-contacts.ts';

describe('CSV cells', () => {
  it('guards formula starts and undoes only its own guard', () => {
    for (const v of ['=1+1', '+86 10', '-5', '@SUM(A1)', '\tx']) {
      expect(guardCell(v)).toBe(`'${v}`);
      expect(unguardCell(guardCell(v))).toBe(v);
    }
    expect(guardCell('张三')).toBe('张三');
    expect(unguardCell("'quoted")).toBe("'quoted");
  });
});

describe('CSV decoding', () => {
  it('reads UTF-8 with and without BOM, UTF-16LE and GBK', () => {
    expect(decodeCsvBytes(Buffer.from('\ufeff姓名', 'utf8'))).toEqual({ text: '姓名', encoding: 'utf-8' });
    expect(decodeCsvBytes(Buffer.from('姓名', 'utf8')).encoding).toBe('utf-8');
    expect(decodeCsvBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名', 'utf16le')]))).toEqual({
      text: '姓名',
      encoding: 'utf-16le',
    });
    expect(decodeCsvBytes(iconv.encode('姓名,邮箱', 'gbk'))).toEqual({ text: '姓名,邮箱', encoding: 'gb18030' });
  });

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('name;email;"a,b"\n1,2,3')).toBe(';');
    expect(detectDelimiter('name\temail')).toBe('\t');
    expect(detectDelimiter('name')).toBe(',');
  });
});

/** A header mapping as one readable list, in column order: 'index field'. */
const mapped = ({ fields, ignored }: { fields: Map<number, string>; ignored: string[] }) => ({
  fields: [...fields].map(([index, field]) => `${index} ${field}`),
  ignored,
});

describe('CSV header mapping and rows', () => {
  it('maps English and Chinese header names and keeps extra email columns', () => {
    expect(mapped(mapHeader(['姓名', 'E-mail', '工作 邮箱', 'Job Title', '电话', '备注', '邮箱']))).toEqual({
      fields: ['0 name', '1 email', '3 title', '4 phone', '6 email'],
      ignored: ['工作 邮箱', '备注'],
    });
  });

  it('splits lists, lowercases addresses and reports per-row problems', () => {
    const parsed = parseContactsCsv(Buffer.from('name\temail\ttags\n李四\tA@x.com；b@x.com\t甲、乙\n\t\t\n王\tbad\t\n'));
    expect(parsed.rows[0]).toMatchObject({ row: 2, name: '李四', emails: ['a@x.com', 'b@x.com'], tags: ['甲', '乙'] });
    expect(parsed.rows).toHaveLength(2); // the blank row 3 is skipped, numbering kept
    expect(parsed.errors).toEqual([{ row: 4, column: 'email', code: 'invalid_email', message: '"bad" is not an email address.' }]);
  });

  it('takes as many addresses per row as the contacts API, once each', () => {
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `p${i}@x.example`).join(';');
    const parsed = parseContactsCsv(
      Buffer.from(`name,email
A,"${addresses(MAX_EMAILS_PER_ROW)};P0@x.example"
B,"${addresses(50_000).replaceAll('p', 'q')}"
`),
    );
    expect(parsed.rows[0]?.emails).toHaveLength(MAX_EMAILS_PER_ROW);
    expect(parsed.errors).toEqual([
      { row: 3, column: 'email', code: 'too_many', message: `At most ${MAX_EMAILS_PER_ROW} email addresses per contact.` },
    ]);
  });
});

describe('Companies CSV', () => {
  it('maps company headers in English and Chinese, several domain columns allowed', () => {
    expect(mapped(mapCompanyHeader(['公司名称', '域名', 'Website', '行业', 'Owner', '备注', '电话']))).toEqual({
      fields: ['0 name', '1 domains', '2 domains', '3 industry', '4 owner', '5 notes'],
      ignored: ['电话'],
    });
  });

  it('normalises domains like the API and reports bad, public and repeated ones per row', () => {
    const parsed = parseCompaniesCsv(Buffer.from('公司,域名\nA,"@Example.COM, 例子.中国"\nB,163.com；b.example\nC,example.com\na,\n'));
    expect(parsed.rows[0]).toMatchObject({ row: 2, name: 'A', domains: ['example.com', 'xn--fsqu00a.xn--fiqs8s'] });
    expect(parsed.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'domains', 'public_mail_domain'],
      [4, 'domains', 'duplicate_in_file'],
      [5, 'name', 'duplicate_in_file'],
    ]);
  });
});
