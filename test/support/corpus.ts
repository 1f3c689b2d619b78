import { createHash } from 'node:crypto';
import { buildMessage } from './message.ts';

/**
 * Generated mail for tests and the benchmarks, built by `buildMessage`, so no large fixtures are
 * committed: numbered messages whose headers, charsets, attachments and threads vary with the number.
 */

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

/** The sync tests' mail: a Chinese sender, a Cc on every fourth, a list header on every tenth. */
export function fixtureMessage(i: number, opts: FixtureOptions = {}): Buffer {
  const charset = opts.charset ?? 'utf8';
  const tag = opts.tag ?? 'fx';
  const reply = opts.replyTo !== undefined ? `<${tag}-${opts.replyTo}@example.com>` : undefined;
  const subject =
    charset === 'gbk'
      ? `${GBK_SUBJECT} ${i}`
      : charset === 'big5'
        ? `${BIG5_SUBJECT} ${i}`
        : `${reply ? 'Re: ' : ''}Quarterly numbers ${tag} ${i}`;
  const utf8 = charset === 'utf8';
  return buildMessage({
    from: `张伟 <zhang.wei${i % 7}@example.cn>`,
    to: `"Customer ${i % 5}" <Customer${i % 5}@Example.org>`,
    cc: i % 4 === 0 ? 'boss@example.org' : undefined,
    subject,
    date: opts.date ?? new Date(Date.UTC(2026, 10, 1) + i * 60_000),
    messageId: `<${tag}-${i}@example.com>`,
    inReplyTo: reply,
    headers: i % 10 === 0 ? { 'List-Id': '<news.example.org>', 'List-Unsubscribe': '<mailto:unsub@example.org>' } : undefined,
    charset: utf8 ? 'utf-8' : charset,
    text: utf8
      ? `Hello customer ${i},\n\n${'Here are the numbers we discussed. '.repeat(8)}`
      : `${charset === 'gbk' ? GBK_BODY : BIG5_BODY} #${i}`,
    html: utf8
      ? `<html><body><p>Hello customer ${i},</p><script>alert(1)</script><table><tr><td>Q1</td><td>${i}</td></tr></table></body></html>`
      : undefined,
    attachments: opts.attachmentBytes
      ? [{ filename: `quote-${i}.pdf`, contentType: 'application/pdf', content: attachmentBytes(i, opts.attachmentBytes) }]
      : undefined,
  });
}

/** The parser tests' mail: a reply chain (each answers the one before), text and HTML, a tracking image. */
export function sampleMessage(i: number, opts: { attachmentBytes?: number } = {}): Buffer {
  return buildMessage({
    from: `"Sender ${i}" <sender${i % 17}@example.com>`,
    to: [`Customer <customer${i % 5}@example.org>`, 'other@example.net'],
    subject: `${i % 3 === 0 ? 'Re: ' : ''}Quarterly numbers #${i}`,
    date: `Mon, 3 Feb 2025 10:${String(i % 60).padStart(2, '0')}:00 +0800`,
    messageId: `<msg-${i}@example.com>`,
    inReplyTo: i > 0 ? `<msg-${i - 1}@example.com>` : undefined,
    references: i > 0 ? ['<msg-0@example.com>', `<msg-${i - 1}@example.com>`] : undefined,
    text: `Hello customer ${i},\n\n${'Here are the numbers we discussed. '.repeat(20)}`,
    html: `<html><body><p style="color:#333">Hello customer ${i},</p><table><tr><td>Q1</td><td>${i}</td></tr></table><img src="https://tracker.example/${i}.gif"></body></html>`,
    attachments: opts.attachmentBytes ? [{ filename: `data-${i}.bin`, content: Buffer.alloc(opts.attachmentBytes, i % 251) }] : undefined,
  });
}

/** A small plain-text message (`bodyBytes` of filler) whose bytes an IMAP server hands back unchanged. */
export function rawMessage(tag: string, i: number, bodyBytes = 200): Buffer {
  return buildMessage({
    from: 'Alice <alice@example.test>',
    to: 'Bob <bob@example.test>',
    subject: `${tag} ${i}`,
    messageId: `<${tag}.${i}@example.test>`,
    date: 'Mon, 01 Jun 2026 10:00:00 +0000',
    text: `Body of ${tag} ${i}\n${'0123456789abcdef'.repeat(Math.ceil(bodyBytes / 16)).slice(0, bodyBytes)}`,
  });
}
