import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADER_BYTES, PackWriter, packCreatedAt, packsDir } from './blob-pack.ts';
import { createDiskBlobStore, memoryBlobIndex } from './blob-store.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-blobs-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('createDiskBlobStore', () => {
  it('appends content-addressed blobs to a pack, indexes them, and stores the same bytes once', async () => {
    const index = memoryBlobIndex();
    const store = createDiskBlobStore(root, { index });
    const bytes = Buffer.from('hello blob');
    const first = await store.put(bytes);
    expect(first).toBe(sha(bytes));
    expect(await store.put(Buffer.from('hello blob'))).toBe(first);
    expect(index.size()).toBe(1);
    const packs = await fs.readdir(packsDir(root));
    expect(packs).toHaveLength(1);
    expect((await fs.stat(path.join(packsDir(root), packs[0]))).size).toBe(HEADER_BYTES + bytes.length); // written once
    expect(await store.has(first)).toBe(true);
    expect((await store.get(first)).equals(bytes)).toBe(true);
    // A second store on the same folder and index (a restart) reads it.
    expect((await createDiskBlobStore(root, { index }).get(first)).equals(bytes)).toBe(true);
  });

  it('takes a hash the caller computed and refuses a malformed one', async () => {
    const store = createDiskBlobStore(root, { index: memoryBlobIndex(), fsync: false });
    const bytes = Buffer.from('known hash');
    expect(await store.put(bytes, sha(bytes))).toBe(sha(bytes));
    await expect(store.put(bytes, '../../etc/passwd')).rejects.toMatchObject({ code: 'blob_bad_hash' });
  });

  it('keeps every blob intact through concurrent puts of the same and different content', async () => {
    const store = createDiskBlobStore(root, { index: memoryBlobIndex() });
    const payloads = Array.from({ length: 40 }, (_, i) => Buffer.alloc(10_000 + i * 997, i % 7));
    const hashes = await Promise.all(payloads.map((p) => store.put(p)));
    expect(new Set(hashes).size).toBe(40);
    await Promise.all(Array.from({ length: 10 }, () => store.put(payloads[0])));
    for (const [i, h] of hashes.entries()) expect((await store.get(h)).equals(payloads[i])).toBe(true);
  });

  it('reads blobs stored one file each by earlier versions', async () => {
    const store = createDiskBlobStore(root, { index: memoryBlobIndex() });
    const bytes = Buffer.from('from an older Tidings');
    const key = sha(bytes);
    await fs.mkdir(path.join(root, key.slice(0, 2), key.slice(2, 4)), { recursive: true });
    await fs.writeFile(path.join(root, key.slice(0, 2), key.slice(2, 4), key), bytes);
    expect(await store.has(key)).toBe(true);
    expect((await store.get(key)).equals(bytes)).toBe(true);
    expect(await store.put(bytes)).toBe(key);
    await expect(fs.readdir(packsDir(root))).rejects.toMatchObject({ code: 'ENOENT' }); // not stored again
  });

  it('reports missing blobs, refuses malformed keys, and never returns bytes from a wrong location', async () => {
    const index = memoryBlobIndex();
    const store = createDiskBlobStore(root, { index });
    const missing = 'a'.repeat(64);
    expect(await store.has(missing)).toBe(false);
    await expect(store.get(missing)).rejects.toMatchObject({ code: 'blob_not_found' });
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'blob_bad_hash' });
    await expect(store.has('A'.repeat(64))).rejects.toMatchObject({ code: 'blob_bad_hash' });

    const a = await store.put(Buffer.from('first blob'));
    const b = await store.put(Buffer.from('second blob'));
    const locA = (await index.find(a))!;
    // An index row pointing at another record, past the end, or out of the packs folder is refused.
    const bad = memoryBlobIndex();
    const wrong = createDiskBlobStore(root, { index: bad });
    await bad.add([{ ...(await index.find(b))!, sha256: a }]);
    await expect(wrong.get(a)).rejects.toMatchObject({ code: 'blob_io' });
    const c = 'c'.repeat(64);
    await bad.add([{ ...locA, sha256: c, offset: locA.offset + 1_000_000 }]);
    await expect(wrong.get(c)).rejects.toMatchObject({ code: 'blob_io' });
    const d = 'd'.repeat(64);
    await bad.add([{ ...locA, sha256: d, pack: '../../etc/passwd' }]);
    await expect(wrong.get(d)).rejects.toMatchObject({ code: 'blob_io' });
  });
});

describe('PackWriter', () => {
  it('takes appends to a pack only within its append window, and names packs by their creation time', async () => {
    let clock = Date.UTC(2026, 10, 28, 12);
    const writer = new PackWriter(root, { appendWindowMs: 60_000, now: () => clock });
    const blob = (i: number) => Buffer.alloc(1_000, i);
    const first = await writer.append(sha(blob(1)), blob(1));
    clock += 59_999;
    const second = await writer.append(sha(blob(2)), blob(2));
    clock += 1;
    const third = await writer.append(sha(blob(3)), blob(3));
    expect(second.pack).toBe(first.pack);
    expect(third.pack).not.toBe(first.pack);
    expect(packCreatedAt(first.pack)).toBe(Date.UTC(2026, 10, 28, 12));
    expect(packCreatedAt(third.pack)).toBe(Date.UTC(2026, 10, 28, 12) + 60_000);
    expect(packCreatedAt('legacy.pack')).toBeNull();
    await writer.close();
  });

  it('starts a new pack when one is full and refuses appends once closed', async () => {
    const writer = new PackWriter(root, { maxPackBytes: 100_000 });
    const blobs = Array.from({ length: 6 }, (_, i) => Buffer.alloc(40_000, i));
    const locs = await Promise.all(blobs.map((b) => writer.append(sha(b), b)));
    const packs = new Set(locs.map((l) => l.pack));
    expect(packs.size).toBe(3); // two 40 KB records per 100 KB pack
    const index = memoryBlobIndex();
    await index.add(locs);
    const store = createDiskBlobStore(root, { index });
    for (const [i, b] of blobs.entries()) expect((await store.get(sha(b))).equals(blobs[i])).toBe(true);
    await writer.close();
    await expect(writer.append(sha(blobs[0]), blobs[0])).rejects.toMatchObject({ code: 'blob_io' });
  });

  it("appends without syncing; the store's flush syncs the named packs and refuses a malformed name", async () => {
    const writer = new PackWriter(root);
    const bytes = Buffer.from('appended by a parse worker');
    const loc = await writer.append(sha(bytes), bytes);
    const index = memoryBlobIndex();
    const store = createDiskBlobStore(root, { index });
    await store.flush([loc, loc]);
    await index.add([loc]);
    expect((await store.get(loc.sha256)).equals(bytes)).toBe(true);
    await expect(store.flush([{ ...loc, pack: '../x.pack' }])).rejects.toMatchObject({ code: 'blob_io' });
    await expect(store.flush([{ ...loc, pack: 'gone.pack' }])).rejects.toMatchObject({ code: 'blob_io' });
  });

  it('fails with blob_io when the packs folder cannot be made', async () => {
    const blocked = path.join(root, 'blocked');
    await fs.writeFile(blocked, 'a file, not a folder');
    const writer = new PackWriter(blocked);
    await expect(writer.append('e'.repeat(64), Buffer.from('x'))).rejects.toMatchObject({ code: 'blob_io' });
  });
});
