import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskBlobStore } from './blob-store.ts';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-blobs-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('createDiskBlobStore', () => {
  it('stores content-addressed at ab/cd/<sha256>, idempotently', async () => {
    const store = createDiskBlobStore(root);
    const bytes = Buffer.from('hello blob');
    const expected = createHash('sha256').update(bytes).digest('hex');
    const first = await store.put(bytes);
    const stat1 = await fs.stat(path.join(root, expected.slice(0, 2), expected.slice(2, 4), expected));
    expect(first).toBe(expected);
    expect(await store.put(Buffer.from('hello blob'))).toBe(expected);
    const stat2 = await fs.stat(path.join(root, expected.slice(0, 2), expected.slice(2, 4), expected));
    expect(stat2.mtimeMs).toBe(stat1.mtimeMs); // the second put did not rewrite it
    expect(await store.has(expected)).toBe(true);
    expect((await store.get(expected)).equals(bytes)).toBe(true);
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([]); // no temp files left behind
  });

  it('takes a hash the caller computed, refuses a malformed one, and re-creates folders removed behind its back', async () => {
    const store = createDiskBlobStore(root, { fsync: false });
    const bytes = Buffer.from('known hash');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await store.put(bytes, sha)).toBe(sha);
    await expect(store.put(bytes, '../../etc/passwd')).rejects.toMatchObject({ code: 'BLOB_BAD_HASH' });
    // An operator empties the store while Tidings runs: the next put still lands.
    await fs.rm(root, { recursive: true, force: true });
    const other = Buffer.from('after cleanup');
    const otherSha = await store.put(other);
    expect((await store.get(otherSha)).equals(other)).toBe(true);
  });

  it('survives concurrent puts of the same and different content', async () => {
    const store = createDiskBlobStore(root, { fsync: false });
    const payloads = Array.from({ length: 20 }, (_, i) => Buffer.alloc(10_000 + i, i % 3));
    const hashes = await Promise.all(payloads.map((p) => store.put(p)));
    expect(new Set(hashes).size).toBe(20);
    const same = await Promise.all(Array.from({ length: 10 }, () => store.put(payloads[0])));
    expect(new Set(same)).toEqual(new Set([hashes[0]]));
    for (const [i, h] of hashes.entries()) expect((await store.get(h)).equals(payloads[i])).toBe(true);
  });

  it('reports missing blobs and refuses malformed keys', async () => {
    const store = createDiskBlobStore(root);
    const missing = 'a'.repeat(64);
    expect(await store.has(missing)).toBe(false);
    await expect(store.get(missing)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'BLOB_BAD_HASH' });
    await expect(store.has('A'.repeat(64))).rejects.toMatchObject({ code: 'BLOB_BAD_HASH' });
  });

  it('streams a blob', async () => {
    const store = createDiskBlobStore(root);
    const bytes = Buffer.alloc(200_000, 7);
    const sha = await store.put(bytes);
    const chunks: Buffer[] = [];
    for await (const c of store.createReadStream!(sha)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });
});
