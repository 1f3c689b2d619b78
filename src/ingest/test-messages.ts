import iconv from 'iconv-lite';

/** Message builders for tests and the benchmark: generated, so no large fixtures are committed. */

export function b64Word(charset: string, bytes: Buffer): string {
  return `=?${charset}?B?${bytes.toString('base64')}?=`;
}

/** ISO-2022-JP bytes for a text, via EUC-JP (iconv-lite cannot encode ISO-2022-JP itself). */
export function encodeIso2022Jp(text: string): Buffer {
  const euc = iconv.encode(text, 'euc-jp');
  const out: number[] = [];
  let jis = false;
  for (let i = 0; i < euc.length; i++) {
    const b = euc[i];
    if (b >= 0xa1 && i + 1 < euc.length) {
      if (!jis) out.push(0x1b, 0x24, 0x42);
      jis = true;
      out.push(b & 0x7f, euc[i + 1] & 0x7f);
      i++;
    } else {
      if (jis) out.push(0x1b, 0x28, 0x42);
      jis = false;
      out.push(b);
    }
  }
  if (jis) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

export function crlf(lines: Array<string | Buffer>): Buffer {
  return Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l + '\r\n', 'latin1') : Buffer.concat([l, Buffer.from('\r\n')]))));
}

function wrap76(s: string): string {
  return s.replace(/.{76}/g, '$&\r\n');
}

/** A small, ordinary message with a text and an HTML alternative and (optionally) an attachment. */
export function sampleMessage(i: number, opts: { attachmentBytes?: number } = {}): Buffer {
  const att = opts.attachmentBytes ? Buffer.alloc(opts.attachmentBytes, i % 251) : null;
  const lines = [
    `From: "Sender ${i}" <sender${i % 17}@example.com>`,
    `To: Customer <customer${i % 5}@example.org>, other@example.net`,
    `Subject: ${i % 3 === 0 ? 'Re: ' : ''}Quarterly numbers #${i}`,
    `Date: Mon, 3 Feb 2025 10:${String(i % 60).padStart(2, '0')}:00 +0800`,
    `Message-ID: <msg-${i}@example.com>`,
    ...(i > 0 ? [`In-Reply-To: <msg-${i - 1}@example.com>`, `References: <msg-0@example.com> <msg-${i - 1}@example.com>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    '--mixed',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `Hello customer ${i},`,
    '',
    'Here are the numbers we discussed. '.repeat(20),
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><p style="color:#333">Hello customer ${i},</p><table><tr><td>Q1</td><td>${i}</td></tr></table><img src="https://tracker.example/${i}.gif"></body></html>`,
    '--alt--',
    ...(att
      ? ['--mixed', `Content-Type: application/octet-stream; name="data-${i}.bin"`, `Content-Disposition: attachment; filename="data-${i}.bin"`,
        'Content-Transfer-Encoding: base64', '', wrap76(att.toString('base64'))]
      : []),
    '--mixed--',
  ];
  return crlf(lines);
}
