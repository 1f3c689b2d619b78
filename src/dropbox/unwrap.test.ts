import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../ingest/index.ts';
import { unwrapForward } from './unwrap.ts';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));

async function unwrapFixture(name: string) {
  const raw = fixture(name);
  const wrapper = (await parseMessage(raw)).message;
  const unwrapped = unwrapForward(raw, wrapper.text);
  if (!unwrapped) throw new Error(`${name}: nothing unwrapped`);
  return { unwrapped, original: (await parseMessage(unwrapped.source)).message };
}

// Every fixture forwards the same message: 张伟 wrote it on 1 December 2026 at 10:05 in China (+0800).
const SENT = new Date('2026-12-01T02:05:00Z');

describe('unwrapForward', () => {
  it.each([
    ['gmail-inline.eml', 'Forwarded message'],
    ['outlook-inline-en.eml', 'underscores'],
    ['outlook-inline-zh.eml', 'header block'],
    ['apple-mail-inline.eml', 'Begin forwarded message'],
    ['thunderbird-inline.eml', 'Forwarded Message'],
    ['qq-mail-inline.eml', '原始邮件'],
    ['foxmail-inline.eml', 'Original'],
    ['netease-163-inline.eml', '转发的邮件'],
    ['netease-163-classic.eml', '转发邮件信息'],
  ])('reads the original out of an inline forward: %s', async (name, marker) => {
    const { unwrapped, original } = await unwrapFixture(name);
    expect(unwrapped).toMatchObject({ kind: 'inline', marker });
    expect(original.from).toEqual([{ name: '张伟', address: 'zhang.wei@customer.cn' }]);
    expect(original.to.map((a) => a.address)).toEqual(['alice@tidings.test']);
    expect(original.subject).toBe('报价确认');
    expect(original.date).toEqual(SENT);
    expect(original.text?.trim()).toBe('Hi Alice,\n\nWe accept the quote for 200 units. 请尽快安排发货。\n\nZhang Wei');
    // What the forwarder wrote above the forward is theirs, not the customer's.
    expect(original.text).not.toMatch(/log|FYI|请记录/);
    expect(original.parseError).toBeNull();
  });

  it('keeps the Cc of an Outlook forward', async () => {
    for (const name of ['outlook-inline-en.eml', 'outlook-inline-zh.eml']) {
      const { original } = await unwrapFixture(name);
      expect(original.cc).toEqual([{ name: 'Bob Buyer', address: 'bob@customer.cn' }]);
    }
  });

  it('takes an attached message as it is, byte for byte', async () => {
    const { unwrapped, original } = await unwrapFixture('outlook-attachment.eml');
    expect(unwrapped.kind).toBe('attachment');
    expect(unwrapped.source.equals(fixture('original.eml'))).toBe(true);
    expect(original.messageId).toBe('<original-1@customer.cn>');
    expect(original.date).toEqual(SENT);
  });

  it('rebuilds the same source for the same original, so logging it twice stores it once', async () => {
    const a = await unwrapFixture('thunderbird-inline.eml');
    const b = await unwrapFixture('apple-mail-inline.eml');
    expect(a.unwrapped.source.equals(b.unwrapped.source)).toBe(true);
    // A different original is a different message.
    const raw = fixture('apple-mail-inline.eml').toString('latin1').replace('Begin forwarded', 'Begin forwarded');
    const other = unwrapForward(Buffer.from(raw, 'latin1'), 'Begin forwarded message:\n\nFrom: x@customer.cn\nSubject: other\n\nhello');
    expect(other?.source.equals(a.unwrapped.source)).toBe(false);
  });

  it('leaves mail that forwards nothing alone (a BCC to the drop box)', async () => {
    const raw = fixture('bcc.eml');
    expect(unwrapForward(raw, (await parseMessage(raw)).message.text)).toBeNull();
    expect(unwrapForward(Buffer.from('Subject: hi\r\n\r\nFrom: me\r\n'), 'From: me\nnothing here')).toBeNull();
    // A forward marker without a sender to read is not a forward Tidings can log.
    expect(unwrapForward(Buffer.from('Subject: x\r\n\r\n'), '---------- Forwarded message ---------\nSubject: hi\n\nbody')).toBeNull();
  });

  it('survives hostile input', () => {
    const deep = `Content-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n'.repeat(50)}`;
    expect(unwrapForward(Buffer.from(deep), null)).toBeNull();
    expect(unwrapForward(Buffer.from('Content-Type: multipart/mixed\r\n\r\n--\r\n'), '-'.repeat(100_000))).toBeNull();
    expect(unwrapForward(Buffer.alloc(0), '')).toBeNull();
  });
});
