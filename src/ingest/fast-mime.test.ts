import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attachmentBytes, fixtureMessage, sampleMessage } from '../../test/support/corpus.ts';
import { crlf } from '../../test/support/mime.ts';
import { readBodyFast } from './fast-mime.ts';
import { readRawHeaders } from './headers.ts';
import { parseBody } from './parse-message.ts';

const fast = (raw: Buffer) => readBodyFast(raw, readRawHeaders(raw));

/** The fast reader must agree with mailparser field for field wherever it answers. */
async function expectSameAsMailparser(raw: Buffer, opts: { htmlOnlyRoot?: boolean } = {}): Promise<void> {
  const ours = fast(raw);
  expect(ours, 'the fast path should take this message').not.toBeNull();
  const reference = await parseBody(raw);
  expect(reference.errors).toEqual([]);
  // An HTML-only root is the one documented difference: mailparser derives text with html-to-text,
  // we leave it null and parseMessage derives it with our own converter.
  if (opts.htmlOnlyRoot) expect(ours!.text).toBeNull();
  else expect(ours!.text).toBe(reference.text);
  expect(ours!.html).toBe(reference.html);
  // base64At (where the encoded text is, for dehydrate.ts) is the fast reader's own addition.
  const strip = (list: typeof reference.attachments) =>
    list.map(({ bytes, base64At: _at, ...meta }) => ({ ...meta, bytes: bytes.toString('base64') }));
  expect(strip(ours!.attachments)).toEqual(strip(reference.attachments));
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64').replace(/.{76}/g, '$&\r\n');

describe('readBodyFast agrees with mailparser', () => {
  it('on the sync fixtures: plain, HTML, GBK, Big5, replies, attachments of every size', async () => {
    for (let i = 0; i < 60; i++) {
      const charset = (['utf8', 'gbk', 'big5'] as const)[i % 3];
      await expectSameAsMailparser(
        fixtureMessage(i, { charset, attachmentBytes: i % 4 === 0 ? 1 + i * 997 : 0, replyTo: i % 5 === 1 ? i - 1 : undefined }),
      );
    }
  });

  it('on the ingest samples (quoted-printable text, alternative inside mixed, octet-stream attachment)', async () => {
    for (let i = 0; i < 10; i++) await expectSameAsMailparser(sampleMessage(i, { attachmentBytes: i % 2 ? 3000 + i : 0 }));
  });

  it('on single-part text, single-part HTML and a part without headers', async () => {
    await expectSameAsMailparser(crlf(['Subject: plain', '', 'Hello,', 'two lines']));
    await expectSameAsMailparser(
      crlf(['Subject: html', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64('<p>你好</p>')]),
      { htmlOnlyRoot: true },
    );
    await expectSameAsMailparser(
      crlf([
        'Content-Type: multipart/mixed; boundary=b',
        '',
        'preamble',
        '--b',
        '',
        'no headers: text/plain',
        '--b',
        'Content-Type: image/png',
        'Content-Transfer-Encoding: base64',
        '',
        b64('png!'),
        '--b--',
        'epilogue',
      ]),
    );
  });

  it('on related inline images, RFC 2231 and encoded-word filenames, guessed types and text attachments', async () => {
    const gbkName = `=?GBK?B?${iconv.encode('报价单.pdf', 'gbk').toString('base64')}?=`;
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      '--m',
      'Content-Type: multipart/related; boundary="r"',
      '',
      '--r',
      'Content-Type: multipart/alternative; boundary="a"',
      '',
      '--a',
      'Content-Type: text/plain; charset=gb2312',
      'Content-Transfer-Encoding: base64',
      '',
      iconv.encode('见附件', 'gbk').toString('base64'),
      '--a',
      'Content-Type: text/html; charset="utf-8"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>=E8=A7=81 <img src=3D"cid:logo@x"></p>=',
      'soft break',
      '--a--',
      '--r',
      'Content-Type: image/png',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      b64(attachmentBytes(1, 500)),
      '--r--',
      '--m',
      `Content-Type: application/octet-stream; name="${gbkName}"`,
      'Content-Disposition: attachment',
      'Content-Transfer-Encoding: base64',
      '',
      b64(attachmentBytes(2, 900)),
      '--m',
      'Content-Type: application/octet-stream',
      "Content-Disposition: attachment; filename*=utf-8''%E5%90%88%E5%90%8C.docx",
      'Content-Transfer-Encoding: base64',
      '',
      b64('docx'),
      '--m',
      'Content-Type: text/calendar; method=REQUEST; charset=utf-8',
      '',
      'BEGIN:VCALENDAR',
      'END:VCALENDAR',
      '--m',
      'Content-Type: text/plain; name="notes.txt"',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'notes',
      '--m',
      'Content-Type: image/jpeg',
      'Content-Disposition: inline; filename=photo.jpg',
      'Content-Transfer-Encoding: base64',
      '',
      b64('jpeg'),
      '--m--',
      '',
    ]);
    await expectSameAsMailparser(raw);
    const names = fast(raw)!.attachments.map((a) => [a.filename, a.contentType, a.inline, a.contentId]);
    expect(names).toEqual([
      [null, 'image/png', true, 'logo@x'],
      ['报价单.pdf', 'application/pdf', false, null],
      ['合同.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', false, null],
      [null, 'text/calendar', false, null],
      ['notes.txt', 'text/plain', false, null],
      ['photo.jpg', 'image/jpeg', true, null],
    ]);
  });

  it('on LF-only line endings and a boundary-like line that is content', async () => {
    const raw = Buffer.from(
      [
        'Content-Type: multipart/alternative; boundary=x',
        '',
        '--x',
        'Content-Type: text/plain',
        '',
        'a',
        '--xy is not a delimiter',
        '--x',
        'Content-Type: text/html',
        '',
        '<b>b</b>',
        '--x--',
        '',
      ].join('\n'),
    );
    await expectSameAsMailparser(raw);
    expect(fast(raw)!.text).toBe('a\n--xy is not a delimiter');
  });
});

describe('readBodyFast decodes big base64 a slice of lines at a time', () => {
  // Well past one 48 KB slice, so damage can sit in a later slice than the first.
  const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 9)) & 0xff));
  const withBody = (encoded: string) =>
    crlf(['Content-Type: application/octet-stream; name="a.bin"', 'Content-Transfer-Encoding: base64', '', encoded]);
  const lines = (width: number, eol: string) =>
    payload
      .toString('base64')
      .replace(new RegExp(`.{${width}}`, 'g'), `$&${eol}`)
      .replace(/\r?\n$/, '');

  for (const [width, eol] of [
    [76, '\r\n'],
    [76, '\n'],
    [64, '\r\n'],
    [60, '\n'],
    [78, '\r\n'],
  ] as const) {
    it(`gives the exact bytes for ${width}-character lines ending ${JSON.stringify(eol)}`, async () => {
      const raw = withBody(lines(width, eol));
      const ours = fast(raw);
      expect(ours?.attachments[0].bytes.equals(payload)).toBe(true);
      await expectSameAsMailparser(raw);
    });
  }

  it('refuses damage in a later slice: a stray character, early padding, a short line', async () => {
    const text = lines(76, '\r\n').split('\r\n');
    const late = 2_000; // line 2000 is about 150 KB in: the fourth slice
    const damaged = (edit: (line: string) => string) => withBody(text.map((l, i) => (i === late ? edit(l) : l)).join('\r\n'));
    expect(fast(damaged((l) => `${l.slice(0, 10)}*${l.slice(11)}`))).toBeNull();
    expect(fast(damaged((l) => `${l.slice(0, 72)}AA==`))).toBeNull();
    // A short line breaks the regular layout: the whole-text path decodes it, and agrees with mailparser.
    const short = damaged((l) => l.slice(0, 40));
    await expectSameAsMailparser(short);
  });
});

describe('readBodyFast leaves to mailparser', () => {
  /** A part: its Content-Type header, a blank line, then its body lines. */
  const part = (contentType: string, ...body: string[]) => [`Content-Type: ${contentType}`, '', ...body];
  /** A multipart/mixed source with boundary `b`, its parts in order, closed by `--b--`. */
  const mixed = (...parts: string[][]) =>
    crlf(['Content-Type: multipart/mixed; boundary=b', '', ...parts.flatMap((p) => ['--b', ...p]), '--b--']);
  const cases: Record<string, Buffer> = {
    'a truncated multipart': crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', ...part('text/plain', 'cut off')]),
    'an embedded message': mixed(part('text/plain', 'fwd'), part('message/rfc822', 'Subject: inner', '', 'inner body')),
    'flowed text': crlf([...part('text/plain; format=flowed', 'soft ', 'wrapped')]),
    'base64 with stray characters': crlf(['Content-Type: application/pdf', 'Content-Transfer-Encoding: base64', '', 'aGVs*bG8=']),
    'base64 with padding in the middle': crlf(['Content-Type: application/pdf', 'Content-Transfer-Encoding: base64', '', 'aGVsbA==bG8=']),
    'two text parts to join': mixed(part('text/plain', 'one'), part('image/png', 'x'), part('text/plain', 'footer')),
    'text and HTML not in an alternative': mixed(part('text/plain', 'one'), part('text/html', '<p>two</p>')),
    'an unknown transfer encoding': crlf(['Content-Type: application/pdf', 'Content-Transfer-Encoding: x-uuencode', '', 'begin 644 a']),
    'a multipart without a boundary': crlf([...part('multipart/mixed', 'body')]),
  };
  for (const [name, raw] of Object.entries(cases)) {
    it(name, () => {
      expect(fast(raw)).toBeNull();
    });
  }
});
