import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

/** Generated mail for the sync tests and the benchmark: plain, HTML, GBK, Big5, attachments, reply threads. */

const crlf = (lines: Array<string | Buffer>): Buffer =>
  Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l + '\r\n', 'utf8') : Buffer.concat([l, Buffer.from('\r\n')]))));
const b64Word = (charset: string, text: string) => `=?${charset}?B?${iconv.encode(text, charset).toString('base64')}?=`;
const wrap76 = (s: string) => s.replace(/.{76}/g, '$&\r\n');

export interface FixtureOptions {
  /** 'utf8' plain+html, 'gbk' or 'big5' bodies and encoded subjects. */
  charset?: 'utf8' | 'gbk' | 'big5';
  attachmentBytes?: number;
  /** Reply to fixture `replyTo` (threads). */
  replyTo?: number;
  date?: Date;
  tag?: string;
}

export const GBK_SUBJECT = '关于合同的报价';
export const GBK_BODY = '您好，附件是本季度的报价单，请查收。';
export const BIG5_SUBJECT = '會議記錄與後續事項';
export const BIG5_BODY = '各位好，以下是今天會議的記錄。';

/** Deterministic bytes for attachment `i` (so tests can compare hashes). */
export function attachmentBytes(i: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < size; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[k] = x >>> 24;
  }
  return out;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function fixtureMessage(i: number, opts: FixtureOptions = {}): Buffer {
  const charset = opts.charset ?? 'utf8';
  const tag = opts.tag ?? 'fx';
  const date = opts.date ?? new Date(Date.UTC(2026, 10, 1) + i * 60_000);
  const subject = charset === 'gbk' ? b64Word('gbk', `${GBK_SUBJECT} ${i}`) : charset === 'big5' ? b64Word('big5', `${BIG5_SUBJECT} ${i}`) : `Quarterly numbers ${tag} ${i}`;
  const replyHeaders = opts.replyTo !== undefined
    ? [`In-Reply-To: <${tag}-${opts.replyTo}@example.com>`, `References: <${tag}-${opts.replyTo}@example.com>`]
    : [];
  const head = [
    `From: ${b64Word('gbk', '张伟')} <zhang.wei${i % 7}@example.cn>`,
    `To: "Customer ${i % 5}" <Customer${i % 5}@Example.org>`,
    ...(i % 4 === 0 ? ['Cc: boss@example.org'] : []),
    `Subject: ${opts.replyTo !== undefined && charset === 'utf8' ? 'Re: ' : ''}${subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${tag}-${i}@example.com>`,
    ...replyHeaders,
    ...(i % 10 === 0 ? ['List-Id: <news.example.org>', 'List-Unsubscribe: <mailto:unsub@example.org>'] : []),
    'MIME-Version: 1.0',
  ];
  let body: Array<string | Buffer>;
  if (charset !== 'utf8') {
    const text = charset === 'gbk' ? `${GBK_BODY} #${i}` : `${BIG5_BODY} #${i}`;
    body = [`Content-Type: text/plain; charset=${charset === 'gbk' ? 'GBK' : 'Big5'}`, 'Content-Transfer-Encoding: base64', '', wrap76(iconv.encode(text, charset).toString('base64'))];
  } else {
    body = [
      'Content-Type: multipart/alternative; boundary="alt"', '',
      '--alt', 'Content-Type: text/plain; charset=utf-8', '', `Hello customer ${i},`, '', 'Here are the numbers we discussed. '.repeat(8),
      '--alt', 'Content-Type: text/html; charset=utf-8', '',
      `<html><body><p>Hello customer ${i},</p><script>alert(1)</script><table><tr><td>Q1</td><td>${i}</td></tr></table></body></html>`,
      '--alt--',
    ];
  }
  if (!opts.attachmentBytes) return crlf([...head, ...body]);
  const att = attachmentBytes(i, opts.attachmentBytes);
  return crlf([
    ...head,
    'Content-Type: multipart/mixed; boundary="mixed"', '',
    '--mixed', ...body,
    '--mixed', `Content-Type: application/pdf; name="quote-${i}.pdf"`, `Content-Disposition: attachment; filename="quote-${i}.pdf"`,
    'Content-Transfer-Encoding: base64', '', wrap76(att.toString('base64')),
    '--mixed--',
  ]);
}
