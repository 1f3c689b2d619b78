import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message.ts';
import { sampleMessage } from '../../test/support/corpus.ts';
import { b64Word, crlf, encodeIso2022Jp } from '../../test/support/mime.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ZH = '您好，这是本季度的报价单，请查收。';

function nested(depth: number): Buffer {
  const lines: string[] = ['From: deep@example.com', 'Subject: deep', `Content-Type: multipart/mixed; boundary="b0"`, ''];
  for (let d = 0; d < depth; d++) lines.push(`--b${d}`, `Content-Type: multipart/mixed; boundary="b${d + 1}"`, '');
  lines.push(`--b${depth}`, 'Content-Type: text/plain', '', 'at the bottom', `--b${depth}--`);
  for (let d = depth - 1; d >= 0; d--) lines.push(`--b${d}--`);
  return crlf(lines);
}

describe('parseMessage on a hostile corpus', () => {
  it('parses an ordinary message into a normalised record with blobs', async () => {
    const raw = sampleMessage(4, { attachmentBytes: 5000 });
    const { message, blobs } = await parseMessage(raw);
    expect(message.parseError).toBeNull();
    expect(message.messageId).toBe('<msg-4@example.com>');
    expect(message.inReplyTo).toBe('<msg-3@example.com>');
    expect(message.references).toEqual(['<msg-0@example.com>', '<msg-3@example.com>']);
    expect(message.from).toEqual([{ name: 'Sender 4', address: 'sender4@example.com' }]);
    expect(message.to.map((a) => a.address)).toEqual(['customer4@example.org', 'other@example.net']);
    expect(message.date?.toISOString()).toBe('2025-02-03T02:04:00.000Z');
    expect(message.text).toContain('Hello customer 4,');
    expect(message.snippet.startsWith('Hello customer 4, Here are the numbers')).toBe(true);
    expect(message.snippet.length).toBeLessThanOrEqual(200);
    expect(message.html).toContain('data-remote-src="https://tracker.example/4.gif"');
    expect(message.html).not.toContain(' src=');
    expect(message.size).toBe(raw.length);
    expect(message.sha256).toBe(sha(raw));
    expect(message.attachments).toHaveLength(1);
    const [att] = message.attachments;
    expect(att).toMatchObject({ filename: 'data-4.bin', size: 5000, inline: false, contentType: 'application/octet-stream' });
    expect(att.sha256).toBe(sha(Buffer.alloc(5000, 4)));
    expect(blobs.map((b) => b.sha256)).toEqual([message.sha256, att.sha256]);
    for (const b of blobs) expect(sha(b.bytes)).toBe(b.sha256);
  });

  it('decodes GBK, Big5 and ISO-2022-JP bodies and subjects, including lying labels', async () => {
    const raw = crlf([
      `Subject: ${b64Word('GB2312', iconv.encode('关于合同', 'gbk'))}`,
      'From: a@example.cn',
      'Content-Type: multipart/mixed; boundary=x',
      '',
      '--x',
      'Content-Type: text/plain; charset=utf-8', // a lie: the bytes are GBK
      'Content-Transfer-Encoding: base64',
      '',
      iconv.encode(ZH, 'gbk').toString('base64'),
      '--x',
      'Content-Type: text/plain; charset=big5',
      'Content-Transfer-Encoding: 8bit',
      '',
      iconv.encode('請查收附件', 'big5'),
      '--x',
      'Content-Type: text/plain; charset=ISO-2022-JP',
      'Content-Transfer-Encoding: 7bit',
      '',
      encodeIso2022Jp('見積書を送付します'),
      '--x',
      'Content-Type: text/plain', // undeclared 8-bit GBK
      '',
      iconv.encode('无声明字符集', 'gbk'),
      '--x--',
    ]);
    const { message } = await parseMessage(raw);
    expect(message.subject).toBe('关于合同');
    expect(message.text).toContain(ZH);
    expect(message.text).toContain('請查收附件');
    expect(message.text).toContain('見積書を送付します');
    expect(message.text).toContain('无声明字符集');
    expect(message.text).not.toContain('\uFFFD');
  });

  it('keeps cid images and marks them inline', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const raw = crlf([
      'From: a@b.c',
      'Content-Type: multipart/related; boundary=r',
      '',
      '--r',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>logo <img src="cid:logo@x"><script>alert(1)</script></p>',
      '--r',
      'Content-Type: image/png',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      png.toString('base64'),
      '--r--',
    ]);
    const { message } = await parseMessage(raw);
    expect(message.html).toContain('src="cid:logo@x"');
    expect(message.html).not.toContain('script');
    expect(message.attachments[0]).toMatchObject({ contentId: 'logo@x', inline: true, contentType: 'image/png', sha256: sha(png) });
  });

  it('survives truncated multiparts, bad base64, empty input and binary garbage', async () => {
    const cases: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 131 + 7) % 256)),
      crlf(['Subject: trunc', 'Content-Type: multipart/mixed; boundary=t', '', '--t', 'Content-Type: text/plain', '', 'cut off here']),
      crlf(['Subject: truncated headers', 'Content-Type: multipart/mixed; bound']),
      crlf([
        'Subject: bad b64',
        'Content-Type: application/pdf',
        'Content-Transfer-Encoding: base64',
        '',
        '!!!not*base64@@@=====AAA',
        '%%%',
      ]),
      crlf([
        'Subject: bad qp',
        'Content-Type: text/plain; charset=x-unknown-charset',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        '=ZZ=4=\r\n=E4=B8',
      ]),
      crlf(['Content-Type: multipart/alternative; boundary=""', '', '--', '--']),
      Buffer.from('\r\n\r\n\r\n'),
    ];
    for (const raw of cases) {
      const { message, blobs } = await parseMessage(raw);
      expect(message.size).toBe(raw.length);
      expect(message.sha256).toBe(sha(raw));
      expect(blobs[0].bytes).toBe(raw);
    }
    const trunc = await parseMessage(cases[2]);
    expect(trunc.message.subject).toBe('trunc');
    expect(trunc.message.text).toContain('cut off here');
  });

  it('reads a header with 10,000 recipients', async () => {
    const to = Array.from({ length: 10_000 }, (_, i) => `"Person ${i}" <p${i}@Example.com>`).join(',\r\n ');
    const raw = crlf([`To: ${to}`, 'From: big@example.com', 'Subject: all hands', '', 'hi']);
    const { message } = await parseMessage(raw);
    expect(message.to).toHaveLength(10_000);
    expect(message.to[9999]).toEqual({ name: 'Person 9999', address: 'p9999@example.com' });
    expect(message.text?.trim()).toBe('hi');
  });

  it('handles 100-deep nested multiparts', async () => {
    const { message } = await parseMessage(nested(100));
    expect(message.subject).toBe('deep');
    expect(message.text ?? '').toContain('at the bottom');
  });

  it('parses a 25 MB attachment with bounded memory and the right hash', async () => {
    const bytes = Buffer.alloc(25 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
    const raw = crlf([
      'From: big@example.com',
      'Subject: big',
      'Content-Type: multipart/mixed; boundary=z',
      '',
      '--z',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--z',
      'Content-Type: application/zip; name=big.zip',
      'Content-Transfer-Encoding: base64',
      '',
      bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--z--',
    ]);
    const expected = sha(bytes);
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const { message, blobs } = await parseMessage(raw);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(message.attachments[0]).toMatchObject({ filename: 'big.zip', size: bytes.length, sha256: expected });
    expect(sha(blobs[1].bytes)).toBe(expected);
    expect(peak - before).toBeLessThan(250 * 1024 * 1024);
  });

  it('derives text from an HTML-only body that sits beside an attachment', async () => {
    const raw = crlf([
      'From: a@b.c',
      'Subject: html only',
      'Content-Type: multipart/mixed; boundary=m',
      '',
      '--m',
      'Content-Type: text/html; charset=gbk',
      '',
      Buffer.concat([
        Buffer.from('<p>'),
        iconv.encode('报价单 &amp; 合同', 'gbk'),
        Buffer.from('</p><p>second&nbsp;line<script>x()</script></p>'),
      ]),
      '--m',
      'Content-Type: application/pdf; name=q.pdf',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0=',
      '--m--',
    ]);
    const { message } = await parseMessage(raw);
    expect(message.text).toBe('报价单 & 合同\nsecond line');
    expect(message.snippet).toBe('报价单 & 合同 second line');
    expect(message.parseError).toBeNull();
  });

  it('bounds pathological HTML instead of hanging', async () => {
    // 20x deeper than mailparser's html-to-text accepts; our converter takes over.
    const html = `${'<div>'.repeat(20_000)}deep${'</div>'.repeat(20_000)}`;
    const raw = crlf(['From: a@b.c', 'Content-Type: text/html; charset=utf-8', '', html]);
    const started = Date.now();
    const { message } = await parseMessage(raw);
    expect(Date.now() - started).toBeLessThan(45_000); // ~1 s idle; generous for a loaded 2-core box
    expect(message.html).toContain('deep');
    expect(message.text).toBe('deep');
  });
});
