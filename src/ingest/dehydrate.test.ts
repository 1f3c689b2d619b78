import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureMessage, sampleMessage } from '../../test/support/corpus.ts';
import { crlf } from '../../test/support/mime.ts';
import { PackWriter } from './blob-pack.ts';
import { createDiskBlobStore, memoryBlobIndex } from './blob-store.ts';
import { base64Lines, dehydrate, hydrate, spanFor } from './dehydrate.ts';
import { parseMessage } from './parse-message.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Parses `raw` and rebuilds it from its dehydrated record and attachment blobs; null when not dehydrated. */
async function roundTrip(raw: Buffer): Promise<{ rebuilt: Buffer; storedBytes: number } | null> {
  const { blobs } = await parseMessage(raw);
  const record = blobs[0].dehydrated;
  if (!record) return null;
  const bySha = new Map(blobs.map((b) => [b.sha256, b.bytes]));
  const rebuilt = await hydrate(record, async (s) => bySha.get(s)!);
  return { rebuilt, storedBytes: record.length };
}

/** A multipart/mixed message whose one attachment is `encoded` as given (the layout under test). */
function withAttachment(encoded: string): Buffer {
  return crlf([
    'Subject: layout',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'see attached',
    '--b',
    'Content-Type: application/pdf; name=a.pdf',
    'Content-Transfer-Encoding: base64',
    '',
    encoded,
    '--b--',
    '',
  ]);
}

describe('dehydrated raw sources', () => {
  it('rebuild byte for byte on the sync fixtures and samples, storing the raw source without its attachments', async () => {
    let dehydrated = 0;
    for (let i = 0; i < 40; i++) {
      const charset = (['utf8', 'gbk', 'big5'] as const)[i % 3];
      const raws = [
        fixtureMessage(i, { charset, attachmentBytes: i % 2 === 0 ? 3_000 + i * 7_919 : 0 }),
        sampleMessage(i, { attachmentBytes: i % 2 ? 3000 + i : 0 }),
      ];
      for (const raw of raws) {
        const r = await roundTrip(raw);
        if (!r) continue;
        dehydrated++;
        expect(r.rebuilt.equals(raw)).toBe(true);
        expect(r.storedBytes).toBeLessThan(raw.length / 2);
      }
    }
    expect(dehydrated).toBeGreaterThanOrEqual(35); // every message with an attachment of 2 KB or more
  });

  it('follow each encoder layout: 64- or 76-character lines, LF or CRLF, with or without a final line break', async () => {
    const bytes = randomBytes(10_000);
    for (const layout of [
      { lineLength: 76, eol: '\r\n', trailingEol: false },
      { lineLength: 64, eol: '\n', trailingEol: false },
      { lineLength: 76, eol: '\r\n', trailingEol: true },
      { lineLength: 1_000_000, eol: '\r\n', trailingEol: false }, // one long line
    ] as const) {
      const raw = Buffer.concat([Buffer.from('before '), base64Lines(bytes, layout), Buffer.from(' after')]);
      const span = spanFor(raw, 7, raw.length - 6, sha(bytes), bytes);
      expect(span, JSON.stringify(layout)).toMatchObject(
        layout.lineLength > 20_000 ? { lineLength: raw.length - 13, trailingEol: false } : layout,
      );
      const rebuilt = await hydrate(dehydrate(raw, [span!])!, async () => bytes);
      expect(rebuilt.equals(raw)).toBe(true);
    }
  });

  it('keep the source as it is where re-encoding would not give the same bytes, or the attachment is small', async () => {
    const bytes = randomBytes(6_000);
    const good = base64Lines(bytes, { lineLength: 76, eol: '\r\n', trailingEol: false }).toString('latin1');
    const lines = good.split('\r\n');
    const variants = {
      'a trailing space on a line': [`${lines[0]} `, ...lines.slice(1)].join('\r\n'),
      'uneven line lengths': [lines[0] + lines[1].slice(0, 4), lines[1].slice(4), ...lines.slice(2)].join('\r\n'),
      'mixed line breaks': [lines[0], lines.slice(1).join('\n')].join('\r\n'),
    };
    for (const [what, encoded] of Object.entries(variants)) {
      expect(await roundTrip(withAttachment(encoded)), what).toBeNull();
    }
    // Non-canonical padding: "QR==" decodes to "A" like "QQ==", but "A" encodes back as "QQ==".
    const padded = good.slice(0, -4) + good.slice(-4).replace(/^(.)(.)==$/, (_m, a, b) => `${a}${b === 'A' ? 'B' : 'A'}==`);
    if (padded !== good && padded.endsWith('==')) expect(await roundTrip(withAttachment(padded))).toBeNull();
    expect(await roundTrip(withAttachment(Buffer.from('tiny attachment').toString('base64')))).toBeNull();
    const ok = await roundTrip(withAttachment(good));
    expect(ok?.rebuilt.equals(withAttachment(good))).toBe(true);
  });

  it('never claim a span that would not rebuild exactly (random layouts and damage)', () => {
    let claimed = 0;
    for (let n = 0; n < 400; n++) {
      const bytes = randomBytes(2_000 + ((n * 7_919) % 9_000));
      const layout = { lineLength: [76, 64, 72, 60, 57][n % 5], eol: n % 3 ? '\r\n' : '\n', trailingEol: n % 2 === 0 } as const;
      const text = Buffer.from(base64Lines(bytes, layout));
      const i = (n * 131) % (text.length - 8);
      // Damage of one kind per round (round 0 of each 8 is left intact).
      const damaged = [
        () => text,
        () => Buffer.concat([text.subarray(0, i), Buffer.from(' '), text.subarray(i)]),
        () => Buffer.concat([text.subarray(0, i), text.subarray(i + 1)]),
        () => (text[i] === 0x0a || text[i] === 0x0d ? text : Buffer.concat([text.subarray(0, i), Buffer.from('-'), text.subarray(i + 1)])),
        () => Buffer.concat([text.subarray(0, i), Buffer.from('\n'), text.subarray(i)]),
        () => Buffer.concat([text, Buffer.from('AAAA')]),
        () =>
          Buffer.from(
            text
              .toString('latin1')
              .replace(/([A-Za-z0-9+/])(=+)(\r?\n)?$/, (_m, c, pad, br) => `${c === 'A' ? 'B' : 'A'}${pad}${br ?? ''}`),
            'latin1',
          ),
        () => Buffer.concat([text.subarray(0, i), Buffer.from('!'), text.subarray(i)]),
      ][n % 8]();
      const decoded = Buffer.from(damaged.toString('latin1'), 'base64');
      const span = spanFor(damaged, 0, damaged.length, sha(decoded), decoded);
      if (!span) continue;
      claimed++;
      expect(base64Lines(decoded, span).equals(damaged), `round ${n}`).toBe(true);
    }
    expect(claimed).toBeGreaterThanOrEqual(50); // the intact rounds at least
  });

  it('are stored in packs and read back whole through the blob store, which refuses a damaged rebuild', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-dehydrate-'));
    try {
      const raw = fixtureMessage(3, { attachmentBytes: 50_000 });
      const { blobs } = await parseMessage(raw);
      expect(blobs[0].dehydrated).toBeDefined();
      const writer = new PackWriter(root, { fsync: false });
      const index = memoryBlobIndex();
      await index.add([
        await writer.append(blobs[0].sha256, blobs[0].dehydrated!, 'dehydrated'),
        ...(await Promise.all(blobs.slice(1).map((b) => writer.append(b.sha256, b.bytes)))),
      ]);
      const store = createDiskBlobStore(root, { index });
      expect((await store.get(blobs[0].sha256)).equals(raw)).toBe(true);
      expect((await store.get(blobs[1].sha256)).equals(blobs[1].bytes)).toBe(true);

      // The attachment's record holds other bytes of the same length (a damaged pack): the rebuilt
      // source does not hash to its key and is refused rather than served.
      const damaged = memoryBlobIndex();
      const other = Buffer.alloc(blobs[1].bytes.length, 1);
      await damaged.add([(await index.find(blobs[0].sha256))!, await writer.append(blobs[1].sha256, other)]);
      await expect(createDiskBlobStore(root, { index: damaged }).get(blobs[0].sha256)).rejects.toMatchObject({
        code: 'blob_io',
        message: expect.stringContaining('did not rebuild'),
      });
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
