/**
 * The source with every line ending CRLF. SMTP carries lines ending in CRLF (RFC 5321 §2.3.8), so a
 * bare LF in the stored source (MailComposer keeps the ones in a 7bit text body) would reach the
 * recipient as CRLF while the Sent copy and the stored message kept the LF: three different byte
 * strings for one message. Sending, appending and storing this one keeps them the same bytes.
 */
export function withCrlf(raw: Buffer): Buffer {
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
    if (i === 0 || raw[i - 1] !== 0x0d) return Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  }
  return raw;
}
