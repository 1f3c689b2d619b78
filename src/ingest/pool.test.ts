import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiskBlobStore, memoryBlobIndex } from './blob-store.ts';
import { IngestError } from './errors.ts';
import { createIngestPool, type IngestPool } from './pool.ts';
import { sampleMessage } from '../../test/support/corpus.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let pool: IngestPool | null = null;

afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('createIngestPool', () => {
  it('parses 500 messages concurrently, each to its own correct result', async () => {
    pool = createIngestPool({ size: 2 });
    const raws = Array.from({ length: 500 }, (_, i) => sampleMessage(i, { attachmentBytes: i % 10 === 0 ? 6000 : 0 }));
    const results = await Promise.all(raws.map((r) => pool!.parse(r)));
    results.forEach(({ message, blobs }, i) => {
      expect(message.parseError).toBeNull();
      expect(message.messageId).toBe(`<msg-${i}@example.com>`);
      expect(message.sha256).toBe(sha(raws[i]));
      expect(message.date).toBeInstanceOf(Date);
      expect(blobs[0].bytes.equals(raws[i])).toBe(true);
      expect(message.attachments).toHaveLength(i % 10 === 0 ? 1 : 0);
      for (const b of blobs) expect(sha(b.bytes)).toBe(b.sha256);
    });
    // The caller's buffers are never detached by the transfer to the workers.
    expect(raws[0].length).toBeGreaterThan(0);
  });

  it('warm() starts every worker before any work arrives', async () => {
    pool = createIngestPool({ size: 2 });
    expect(pool.stats().workers).toBe(0);
    await pool.warm();
    expect(pool.stats().workers).toBe(2);
    await pool.warm(); // already warm: resolves at once
    const { message } = await pool.parse(sampleMessage(1));
    expect(message.subject).toContain('#1');
  });

  it('with blobDir, workers append the blobs to packs and send back only their locations; a store failure rejects the job', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tidings-pool-blobs-'));
    try {
      pool = createIngestPool({ size: 1, blobDir: dir });
      const raw = sampleMessage(3, { attachmentBytes: 5000 });
      const result = await pool.parse(raw);
      expect(result.blobs).toEqual([]);
      const rawSha = createHash('sha256').update(raw).digest('hex');
      expect(result.storedBlobs!.map((l) => l.sha256)).toEqual([rawSha, result.message.attachments[0].sha256]);
      // Not indexed yet: the caller indexes the locations (with the message, in the sync engine).
      const index = memoryBlobIndex();
      const store = createDiskBlobStore(dir, { index });
      expect(await store.has(rawSha)).toBe(false);
      await index.add(result.storedBlobs!);
      expect((await store.get(rawSha)).equals(raw)).toBe(true);
      expect((await store.get(result.message.attachments[0].sha256)).length).toBe(5000);
      // The same message again: the worker remembers what it wrote and appends nothing.
      const again = await pool.parse(raw);
      expect(again.storedBlobs).toEqual(result.storedBlobs);
      await pool.close();
      // A blob root that cannot be a folder (a file is in the way): the job fails, nothing is claimed stored.
      const blocked = path.join(dir, 'blocked');
      await writeFile(blocked, 'not a folder');
      pool = createIngestPool({ size: 1, blobDir: blocked });
      await expect(pool.parse(sampleMessage(4))).rejects.toMatchObject({ code: 'blob_io' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts a Buffer that is a slice of a larger allocation', async () => {
    pool = createIngestPool({ size: 1 });
    const big = Buffer.concat([Buffer.from('junk before'), sampleMessage(1), Buffer.from('junk after')]);
    const slice = big.subarray(11, big.length - 10);
    const { message } = await pool.parse(slice);
    expect(message.sha256).toBe(sha(slice));
    expect(message.messageId).toBe('<msg-1@example.com>');
    expect(big.toString('latin1', 0, 11)).toBe('junk before');
  });

  it('turns a worker crash into a parseError for that job only and loses no other job', async () => {
    pool = createIngestPool({ size: 2, unsafeTestHooks: true });
    const raws = Array.from({ length: 40 }, (_, i) =>
      i === 5 || i === 23
        ? Buffer.from(`X-Tidings-Test-Hook: crash\r\nSubject: doomed ${i}\r\nMessage-ID: <d${i}@x>\r\n\r\nx`)
        : sampleMessage(i),
    );
    const results = await Promise.all(raws.map((r) => pool!.parse(r)));
    results.forEach(({ message }, i) => {
      if (i === 5 || i === 23) {
        expect(message.parseError).toMatch(/worker crashed/);
        // Headers are still read best-effort, in the main thread.
        expect(message.subject).toBe(`doomed ${i}`);
        expect(message.messageId).toBe(`<d${i}@x>`);
        expect(message.sha256).toBe(sha(raws[i]));
      } else {
        expect(message.parseError).toBeNull();
        expect(message.messageId).toBe(`<msg-${i}@example.com>`);
      }
    });
  });

  it('with handOver, moves whole sources to the worker, loses only those a dead worker had, and copies slices', async () => {
    pool = createIngestPool({ size: 2, depth: 2, unsafeTestHooks: true });
    // Buffer.alloc: each its own ArrayBuffer, as a fetched message's source is.
    const owned = (b: Buffer) => {
      const c = Buffer.alloc(b.length);
      b.copy(c);
      return c;
    };
    const crash = (i: number) => Buffer.from(`X-Tidings-Test-Hook: crash\r\nSubject: doomed ${i}\r\nMessage-ID: <d${i}@x>\r\n\r\nx`);
    const source = (i: number) => (i === 7 ? crash(i) : sampleMessage(i));
    const raws = Array.from({ length: 20 }, (_, i) => owned(source(i)));
    const hashes = raws.map(sha);
    const outcomes = await Promise.allSettled(raws.map((r) => pool!.parse(r, { handOver: true })));
    for (const r of raws) expect(r.length).toBe(0); // moved to a worker: the caller's Buffer is empty
    const lost = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    // The crashing message and at most the other job its worker held (depth 2) lost their bytes.
    expect(lost).toContain(7);
    expect(lost.length).toBeLessThanOrEqual(2);
    for (const i of lost) expect((outcomes[i] as PromiseRejectedResult).reason).toMatchObject({ code: 'ingest_source_lost' });
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') {
        expect(o.value.message.sha256).toBe(hashes[i]);
        expect(o.value.message.parseError).toBeNull();
      }
    });
    // Fetched again and parsed from a copy: the crash now names its culprit, the rest parse.
    for (const i of lost) {
      const { message, blobs } = await pool.parse(owned(source(i)));
      expect(message.sha256).toBe(hashes[i]);
      if (i === 7) {
        expect(message.parseError).toMatch(/worker crashed/);
        expect(sha(blobs[0].bytes)).toBe(hashes[i]); // the record keeps the source
      } else {
        expect(message.parseError).toBeNull();
      }
    }

    // A slice of a shared allocation is copied, never moved: its neighbours stay.
    const big = Buffer.concat([Buffer.from('junk before'), sampleMessage(1), Buffer.from('junk after')]);
    const slice = big.subarray(11, big.length - 10);
    const { message } = await pool.parse(slice, { handOver: true });
    expect(message.sha256).toBe(sha(slice));
    expect(slice.length).toBeGreaterThan(0);
    expect(big.toString('latin1', 0, 11)).toBe('junk before');
    // A crashing slice keeps its bytes for its record.
    const doomed = Buffer.concat([Buffer.from('xx'), crash(99)]).subarray(2);
    expect((await pool.parse(doomed, { handOver: true })).message.parseError).toMatch(/worker crashed/);

    // Without handOver the caller's bytes are left alone.
    const kept = owned(sampleMessage(3));
    await pool.parse(kept);
    expect(sha(kept)).toBe(sha(sampleMessage(3)));
  });

  it('times out a hanging parse, replaces the worker and carries on', async () => {
    pool = createIngestPool({ size: 1, unsafeTestHooks: true, timeoutMs: 1500 });
    const hang = pool.parse(Buffer.from('X-Tidings-Test-Hook: hang\r\nSubject: stuck\r\n\r\n'));
    const after = pool.parse(sampleMessage(2));
    const [h, a] = await Promise.all([hang, after]);
    expect(h.message.parseError).toMatch(/timed out/);
    expect(h.message.subject).toBe('stuck');
    expect(a.message.parseError).toBeNull();
  });

  it('bounds the queue and refuses work after close()', async () => {
    pool = createIngestPool({ size: 1, maxQueue: 3 });
    const accepted = [0, 1, 2].map((i) => pool!.parse(sampleMessage(i)));
    await expect(pool.parse(sampleMessage(9))).rejects.toMatchObject({ code: 'ingest_queue_full' });
    await Promise.all(accepted);
    expect(pool.stats()).toEqual({ workers: 1, queued: 0, pending: 0 });
    await pool.close();
    expect(pool.stats().workers).toBe(0);
    const err = await pool.parse(sampleMessage(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('ingest_pool_closed');
  });
});
