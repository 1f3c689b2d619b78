import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlobUrl } from '../../src/ingest/index.ts';
import { startS3, type S3Instance } from '../harness/index.ts';
import { expectProblem } from '../support/api.ts';
import { attachmentBytes, fixtureMessage, sha256 } from '../support/corpus.ts';
import { databaseKinds } from '../support/database.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'olga@example.test';
const PASS = 'olga-password-1';
const N = 6;
const ATTACHMENT = 30_000;

describe.each(databaseKinds)('mail synced into object storage (%s)', (kind) => {
  let s3: S3Instance;
  let env: SyncEnv;
  let mailboxId: string;

  beforeAll(async () => {
    s3 = await startS3();
    env = await startSyncEnv(kind, { config: { blobTarget: parseBlobUrl(s3.blobUrl('mail')) } });
    mailboxId = await env.bindMailbox(USER, PASS);
    for (let i = 0; i < N; i++)
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'os', attachmentBytes: i % 2 === 0 ? ATTACHMENT + i : 0 }));
    env.supervisor().start();
    await waitFor('the import', async () => (await countMessages(env, mailboxId)) === N, 30_000);
  });
  afterAll(async () => {
    await env?.close();
    await s3?.stop();
  });

  it('stores every raw source and attachment as an object, none in the data dir', async () => {
    const db = env.db.db;
    const raws = (await db.selectFrom('messages').select('raw_sha256').where('mailbox_id', '=', mailboxId).execute()).map(
      (r) => r.raw_sha256,
    );
    const atts = (await db.selectFrom('attachments').select('sha256').execute()).map((r) => r.sha256);
    expect(atts).toHaveLength(N / 2);
    const keys = await s3.objectKeys();
    for (const sha of [...raws, ...atts]) expect(keys).toContain(`mail/${sha}`);
    const indexed = (await db.selectFrom('blob_objects').select('sha256').execute()).map((r) => r.sha256);
    expect(indexed).toEqual(expect.arrayContaining([...raws, ...atts]));
    expect(await db.selectFrom('blob_locations').select('sha256').execute()).toEqual([]);
  });

  it("serves a message's raw source and its attachment through the API from the bucket", async () => {
    const row = await env.db.db
      .selectFrom('messages')
      .select(['id', 'raw_sha256'])
      .where('message_id_header', '=', '<os-0@example.com>')
      .executeTakeFirstOrThrow();
    const raw = await env.admin.get(`/api/v1/messages/${row.id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(sha256(raw.rawPayload)).toBe(row.raw_sha256);
    const detail = await env.admin.get(`/api/v1/messages/${row.id}`);
    const [attachment] = detail.data.attachments as Array<{ id: string }>;
    const file = await env.admin.get(`/api/v1/attachments/${attachment!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(attachmentBytes(0, ATTACHMENT))).toBe(true);
  });

  it('while the object store is down: a clear code for the mailbox and the API, then sync catches up and loses nothing', async () => {
    const row = await env.db.db
      .selectFrom('messages')
      .select('id')
      .where('message_id_header', '=', '<os-0@example.com>')
      .executeTakeFirstOrThrow();
    await s3.pause();
    try {
      for (let i = N; i < N + 3; i++)
        await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'os', attachmentBytes: ATTACHMENT + i }));
      await waitFor(
        "the mailbox's sync errors name the object store",
        async () =>
          Boolean(
            await env.db.db
              .selectFrom('mailbox_sync_errors')
              .select('code')
              .where('mailbox_id', '=', mailboxId)
              .where('code', '=', 'blob_store_unavailable')
              .executeTakeFirst(),
          ),
        30_000,
      );
      expect(await countMessages(env, mailboxId)).toBe(N);
      expectProblem(await env.admin.get(`/api/v1/messages/${row.id}/raw`), 503, 'blob_store_unavailable');
    } finally {
      await s3.resume();
    }
    await waitFor('the mail that came during the outage', async () => (await countMessages(env, mailboxId)) === N + 3, 30_000);
    const late = await env.db.db
      .selectFrom('messages')
      .select(['id', 'raw_sha256'])
      .where('message_id_header', '=', `<os-${N}@example.com>`)
      .executeTakeFirstOrThrow();
    const raw = await env.admin.get(`/api/v1/messages/${late.id}/raw`);
    expect(sha256(raw.rawPayload)).toBe(late.raw_sha256);
  });
});
