import { randomUUID } from 'node:crypto';

export const TEST_SUBJECT = 'Tidings test message / Tidings 测试邮件';

const BODY = [
  'This message was sent by the connection test of Tidings: sending from this mailbox works.',
  '',
  '这是 Tidings 测试连接发送的邮件:该邮箱可以正常发信。',
  '',
].join('\r\n');

/** Only a bare address: anything else could inject headers or SMTP commands. */
export function isPlainAddress(value: string): boolean {
  return /^[^\s<>"(),;:\\[\]@]+@[^\s<>"(),;:\\[\]@]+$/.test(value);
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** The bilingual test message, CRLF lines, base64 body (no line starts with a dot, so no dot-stuffing). */
export function buildTestMessage(from: string, to: string): { raw: string; messageId: string } {
  const domain = from.split('@')[1] ?? 'tidings.invalid';
  const messageId = `<tidings-test-${randomUUID()}@${domain}>`;
  const body = Buffer.from(BODY, 'utf8')
    .toString('base64')
    .replace(/(.{76})/g, '$1\r\n');
  const raw = [
    `From: <${from}>`,
    `To: <${to}>`,
    `Subject: ${encodedWord(TEST_SUBJECT)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    'X-Tidings-Test: connection',
    '',
    body,
  ].join('\r\n');
  return { raw, messageId };
}
