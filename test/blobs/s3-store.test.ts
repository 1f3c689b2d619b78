import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, parseBlobUrl, sha256Hex, type S3BlobStore, type S3Target } from '../../src/ingest/index.ts';
import { dbObjectIndex, sweepObjects } from '../../src/store/blob-objects.ts';
import { startS3, type S3Instance } from '../harness/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertUser } from '../support/rows.ts';

let s3: S3Instance;
let db: TestDatabase;
let store: S3BlobStore;

beforeAll(async () => {
  s3 = await startS3();
  db = await createTestDatabase('postgres');
  store = createS3BlobStore(parseBlobUrl(s3.blobUrl('contract')) as S3Target, { index: dbObjectIndex(db.db) });
});
afterAll(async () => {
  store?.close();
  await db?.drop();
  await s3?.stop();
});

const objectRows = () => db.db.selectFrom('blob_objects').select(['sha256', 'length']).execute();

describe('the S3 blob store (against s3rver)', () => {
  it('stores bytes under their SHA-256, one object per blob, indexed, and reads them back', async () => {
    const bytes = Buffer.from('hello object storage');
    const sha = await store.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(await s3.objectKeys()).toContain(`contract/${sha}`);
    expect((await store.get(sha)).equals(bytes)).toBe(true);
    expect(await store.has(sha)).toBe(true);
    expect(await objectRows()).toContainEqual({ sha256: sha, length: expect.anything() });
  });

  it('stores the same bytes once (dedup by key)', async () => {
    const bytes = Buffer.from('twice the same attachment');
    const before = (await s3.objectKeys()).length;
    const a = await store.put(bytes);
    const b = await store.put(Buffer.from('twice the same attachment'), a);
    expect(b).toBe(a);
    expect((await s3.objectKeys()).length).toBe(before + 1);
    expect((await objectRows()).filter((r) => r.sha256 === a)).toHaveLength(1);
  });

  it('refuses a malformed key before it reaches the bucket', async () => {
    await expect(store.put(Buffer.from('x'), '../../etc/passwd')).rejects.toMatchObject({ code: 'blob_bad_hash' });
    await expect(store.get('ABC')).rejects.toMatchObject({ code: 'blob_bad_hash' });
    await expect(store.has('not-a-hash')).rejects.toMatchObject({ code: 'blob_bad_hash' });
  });

  it('says blob_not_found for a blob it does not hold', async () => {
    const missing = sha256Hex(Buffer.from('never stored'));
    expect(await store.has(missing)).toBe(false);
    await expect(store.get(missing)).rejects.toMatchObject({ code: 'blob_not_found' });
  });

  it('uploads again a blob whose row survived its object (a sweep that died half-way)', async () => {
    const bytes = Buffer.from('row without an object');
    const sha = await store.put(bytes);
    await store.remove([sha]);
    expect(await store.has(sha)).toBe(false);
    await store.put(bytes);
    expect((await store.get(sha)).equals(bytes)).toBe(true);
  });

  it('answers blob_store_unavailable, not blob_not_found, while the server is down', async () => {
    const bytes = Buffer.from('stored before the outage');
    const sha = await store.put(bytes);
    await s3.pause();
    try {
      await expect(store.get(sha)).rejects.toMatchObject({ code: 'blob_store_unavailable' });
      await expect(store.put(Buffer.from('during the outage'))).rejects.toMatchObject({ code: 'blob_store_unavailable' });
    } finally {
      await s3.resume();
    }
    expect((await store.get(sha)).equals(bytes)).toBe(true);
  });

  it('sweeps the objects of blobs nothing names once their grace is over, and keeps named ones', async () => {
    const unnamed = await store.put(Buffer.from('attachment of deleted mail'));
    const young = await store.put(Buffer.from('uploaded a moment ago, its message not stored yet'));
    const named = await store.put(Buffer.from('an upload the outbox names'));
    const userId = await insertUser(db.db);
    await db.db
      .insertInto('outbox_uploads')
      .values({ sha256: named, user_id: userId, filename: 'a.txt', content_type: 'text/plain', size: 1 })
      .execute();
    await db.db
      .updateTable('blob_objects')
      .set({ touched_at: new Date(Date.now() - 7 * 3600_000) })
      .where('sha256', 'in', [unnamed, named])
      .execute();
    const deleted = await sweepObjects({ db: db.db, objects: store });
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await store.has(unnamed)).toBe(false);
    expect(await store.has(young)).toBe(true);
    expect(await store.has(named)).toBe(true);
    const rows = (await objectRows()).map((r) => r.sha256);
    expect(rows).not.toContain(unnamed);
    expect(rows).toEqual(expect.arrayContaining([young, named]));
  });
});
