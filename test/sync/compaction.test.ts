import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packsDir } from '../../src/ingest/blob-pack.ts';
import { lockBlobReferences } from '../../src/store/blob-index.ts';
import { compactPacks } from '../../src/store/pack-compaction.ts';
import { fixtureMessage, sha256 } from '../support/corpus.ts';
import { databaseKinds } from '../support/database.ts';
import { asUser } from '../support/imap.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'cora@example.test';
const PASS = 'cora-password-1';
// Compaction leaves packs alone for two hours after they were created, and deletes a rewritten pack's
// file a day after; these runs look from later. No merging of small packs: each run does only what a test names.
const hoursOn = (h: number) => () => Date.now() + h * 3600_000;
const LATER = hoursOn(3);
const NEXT_DAY = hoursOn(3 + 25);
const RUN = { smallPackBytes: 0, minDeadShare: 0.01 } as const;

interface Kept {
  id: string;
  raw: string;
  attachments: string[];
}

describe.each(databaseKinds)('pack compaction after mail is deleted (%s)', (kind) => {
  let env: SyncEnv;
  let mailboxId: string;
  let root: string;
  const byHeader = new Map<string, Kept>();

  const packSizes = async (): Promise<Map<string, number>> => {
    const sizes = new Map<string, number>();
    for (const name of await fs.readdir(packsDir(root))) sizes.set(name, (await fs.stat(path.join(packsDir(root), name))).size);
    return sizes;
  };
  const total = (sizes: Map<string, number>) => [...sizes.values()].reduce((a, b) => a + b, 0);
  const indexed = async (sha: string) =>
    !!(await env.db.db.selectFrom('blob_locations').select('sha256').where('sha256', '=', sha).executeTakeFirst());

  /** What the API serves for a message now: the raw source's and the attachments' hashes. */
  async function served(id: string): Promise<{ raw: string; attachments: string[] }> {
    const raw = await env.admin.get(`/api/v1/messages/${id}/raw`);
    expect(raw.statusCode).toBe(200);
    const detail = await env.admin.get(`/api/v1/messages/${id}`);
    const attachments: string[] = [];
    for (const a of detail.data.attachments as Array<{ id: string }>) {
      const res = await env.admin.get(`/api/v1/attachments/${a.id}`);
      expect(res.statusCode).toBe(200);
      attachments.push(sha256(res.rawPayload));
    }
    return { raw: sha256(raw.rawPayload), attachments };
  }

  /** Deletes messages on the server (another mail client), then syncs until the store agrees. */
  async function deleteOnServer(uids: number[], left: number): Promise<void> {
    await asUser(env.dovecot, USER, PASS, async (c) => {
      await c.mailboxOpen('INBOX');
      await c.messageDelete(uids, { uid: true });
    });
    const sync = env.supervisor();
    sync.start();
    await waitFor('the deletions synced', async () => (await countMessages(env, mailboxId)) === left, 30_000);
    await sync.stop();
  }

  beforeAll(async () => {
    env = await startSyncEnv(kind);
    root = path.join(env.config.dataDir, 'blobs');
    mailboxId = await env.bindMailbox(USER, PASS);
    // Even ones carry an attachment big enough that the raw source is stored without its base64.
    for (let i = 0; i < 8; i++)
      await env.dovecot.append(USER, 'INBOX', fixtureMessage(i, { tag: 'pc', attachmentBytes: i % 2 === 0 ? 20_000 + i : 0 }));
    const sync = env.supervisor();
    sync.start();
    await waitFor('the import', async () => (await countMessages(env, mailboxId)) === 8, 30_000);
    await sync.stop();
    const rows = await env.db.db.selectFrom('messages').select(['id', 'message_id_header']).where('mailbox_id', '=', mailboxId).execute();
    for (const r of rows) byHeader.set(r.message_id_header!, { id: r.id, ...(await served(r.id)) });
    expect(byHeader.get('<pc-0@example.com>')!.attachments).toHaveLength(1);
  });
  afterAll(async () => env?.close());

  it('leaves packs alone while writers may still append to them', async () => {
    const before = await packSizes();
    const report = await compactPacks({ db: env.db.db, root, minDeadShare: 0 });
    expect(report).toMatchObject({ packsChecked: 0, packsRewritten: 0 });
    expect(await packSizes()).toEqual(before);
  });

  it('gives back the space of deleted mail and serves every other message byte for byte', async () => {
    // UIDs 1-4 are messages 0-3 (appended in order); 0 and 2 have attachments.
    await deleteOnServer([1, 2, 3, 4], 4);
    const gone = [0, 1, 2, 3].map((i) => byHeader.get(`<pc-${i}@example.com>`)!);
    const goneShas = gone.flatMap((k) => [k.raw, ...k.attachments]);
    for (const sha of goneShas) expect(await indexed(sha)).toBe(true);
    const before = await packSizes();

    // Any pack holding a dead record is rewritten (the default waits for half of it to be dead).
    const report = await compactPacks({ db: env.db.db, root, now: LATER, ...RUN });
    expect(report.packsRewritten).toBeGreaterThanOrEqual(1);
    expect(report.packsSkipped).toBe(0);
    expect(report.recordsDropped).toBeGreaterThanOrEqual(goneShas.length);
    for (const sha of goneShas) expect(await indexed(sha)).toBe(false);
    const rewritten = await packSizes();
    const packs = await env.db.db.selectFrom('blob_locations').select('pack').distinct().execute();
    for (const { pack } of packs) expect(rewritten.has(pack)).toBe(true);
    const servesAsBefore = async () => {
      for (const i of [4, 5, 6, 7]) {
        const kept = byHeader.get(`<pc-${i}@example.com>`)!;
        expect(await served(kept.id)).toEqual({ raw: kept.raw, attachments: kept.attachments });
      }
    };
    await servesAsBefore();
    // The old packs stay for a day (a backup of the database from before still names them).
    for (const name of before.keys()) expect(rewritten.has(name)).toBe(true);
    expect((await compactPacks({ db: env.db.db, root, now: LATER, ...RUN })).packsRemoved).toBe(0);

    const nextDay = await compactPacks({ db: env.db.db, root, now: NEXT_DAY, ...RUN });
    expect(nextDay.packsRemoved).toBe(report.packsRewritten);
    const after = await packSizes();
    expect(total(after)).toBeLessThan(total(before));
    expect(nextDay.bytesRemoved).toBe(total(rewritten) - total(after));
    await servesAsBefore();
  });

  it('keeps a blob that a message comes to name while its pack is being rewritten', async () => {
    // Message 4 goes: its attachment is dead, until another message names the same bytes.
    const four = byHeader.get('<pc-4@example.com>')!;
    await deleteOnServer([5], 3);
    const attachment = four.attachments[0];
    const five = byHeader.get('<pc-5@example.com>')!;
    let committed: Promise<void> | null = null;

    const report = await compactPacks({
      db: env.db.db,
      root,
      now: LATER,
      ...RUN,
      // Copied without it (nothing named it); now a batch names it and commits only after the
      // compactor asked for its lock: the compactor must see the new name, not drop the blob.
      afterCopy: async () => {
        if (committed) return;
        let locked!: () => void;
        const ready = new Promise<void>((resolve) => (locked = resolve));
        committed = env.db.db.transaction().execute(async (trx) => {
          await lockBlobReferences(trx, 'shared');
          await trx
            .insertInto('attachments')
            .values({
              message_id: five.id,
              position: 99,
              filename: 'again.pdf',
              content_type: 'application/pdf',
              size: 20_004,
              sha256: attachment,
            })
            .execute();
          locked();
          await new Promise((resolve) => setTimeout(resolve, 300));
        });
        await ready;
      },
    });
    await committed;
    expect(report.packsSkipped).toBe(1);
    expect(await indexed(attachment)).toBe(true);
    expect(await indexed(four.raw)).toBe(true); // its pack was left as it was

    // The next run rewrites that pack: the raw source goes, the named attachment stays readable.
    const again = await compactPacks({ db: env.db.db, root, now: LATER, ...RUN });
    expect(again).toMatchObject({ packsSkipped: 0 });
    expect(again.packsRewritten).toBeGreaterThanOrEqual(1);
    expect(await indexed(four.raw)).toBe(false);
    expect(sha256(await env.services.blobs.get(attachment))).toBe(attachment);
    const detail = await env.admin.get(`/api/v1/messages/${five.id}`);
    expect(detail.data.attachments.map((a: { filename: string }) => a.filename)).toContain('again.pdf');
  });
});
