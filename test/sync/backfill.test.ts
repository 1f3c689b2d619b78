import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSupervisor } from '../../src/sync/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { asUser } from '../support/imap.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'bf@example.test';
const PASS = 'bf-password-1';
const DAY = 86_400_000;
// Received (IMAP internal date) this many days ago.
const AGES = [2, 5, 9, 60, 61, 200, 201, 2000];
const inWindow = (days: number) => AGES.filter((a) => a <= days).length;
// A message moved into the Inbox after binding, received (internal date) this many days ago.
const MOVED_IN = 50;
const MOVED_IN_AGE = 1000;

/**
 * The backfill window chosen at binding is a date: widening it fetches the older mail, narrowing it
 * keeps what is stored, and a later full listing (a UIDVALIDITY change) still lists all of it.
 * Discovery and polling are set to a minute, so the API's notice is what starts each round.
 */
describe('backfill window (PostgreSQL)', () => {
  let env: SyncEnv;
  let sync: SyncSupervisor;
  let mailboxId: string;

  const patch = async (body: object) => {
    const res = await env.admin.patch(`/api/v1/mailboxes/${mailboxId}`, body);
    expect(res.statusCode).toBe(200);
    return res.data.mailbox;
  };
  const stored = () => countMessages(env, mailboxId);
  const inbox = () =>
    env.db.db
      .selectFrom('mail_folders')
      .select(['cursor', 'listed_from'])
      .where('mailbox_id', '=', mailboxId)
      .where('remote_id', '=', 'INBOX')
      .executeTakeFirstOrThrow();
  const backfillFrom = async () =>
    (await env.db.db.selectFrom('mailboxes').select('backfill_from').where('id', '=', mailboxId).executeTakeFirstOrThrow()).backfill_from;
  /** Waits for `n` messages, then a little longer to see that no more come. */
  const settlesAt = async (n: number) => {
    await waitFor(`${n} messages`, async () => (await stored()) === n, 20_000);
    await new Promise((r) => setTimeout(r, 700));
    expect(await stored()).toBe(n);
  };

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    mailboxId = await env.bindMailbox(USER, PASS, { backfill: '30d' });
    await asUser(env.dovecot, USER, PASS, async (c) => {
      for (const [i, age] of AGES.entries()) {
        const received = new Date(Date.now() - age * DAY);
        await c.append('INBOX', fixtureMessage(i, { tag: 'bf', date: received }), [], received);
      }
    });
    sync = env.supervisor({ discoverMs: 60_000, pollMs: 60_000, renewMs: 60_000, leaseTtlMs: 120_000 });
    sync.start();
  }, 60_000);
  afterAll(async () => env?.close());

  it('imports only the window chosen at binding', async () => {
    await settlesAt(inWindow(30));
    const folder = await inbox();
    expect(Math.abs(new Date(folder.listed_from!).getTime() - (Date.now() - 30 * DAY))).toBeLessThan(60_000);
  });

  it('fetches the older mail when the window is widened, keeping the cursor for new mail', async () => {
    const before = (await inbox()).cursor;
    expect((await patch({ backfill: '1y' })).backfill).toBe('1y');
    await settlesAt(inWindow(365));
    const after = await inbox();
    expect((after.cursor as { uidNext: string }).uidNext).toBe((before as { uidNext: string }).uidNext);
    expect(Math.abs(new Date(after.listed_from!).getTime() - (Date.now() - 365 * DAY))).toBeLessThan(60_000);
  });

  it('keeps stored mail when the window is narrowed again', async () => {
    const from = await backfillFrom();
    await patch({ backfill: '30d' });
    expect(await backfillFrom()).toEqual(from);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stored()).toBe(inWindow(365));
  });

  it('lists all of it again when the folder must be rebuilt (UIDVALIDITY changed), without duplicates', async () => {
    // Moved into the Inbox from another folder after binding: it keeps a receive date older than the
    // window, so only the engine's own record of it (its Message-ID) can have the rebuild list it.
    await asUser(env.dovecot, USER, PASS, async (c) => {
      const received = new Date(Date.now() - MOVED_IN_AGE * DAY);
      await c.mailboxCreate('Old projects');
      await c.append('Old projects', fixtureMessage(MOVED_IN, { tag: 'bf', date: received }), [], received);
      await c.mailboxOpen('Old projects');
      await c.messageMove('1:*', 'INBOX', { uid: true });
    });
    await settlesAt(inWindow(365) + 1);
    const ids = async () =>
      (await env.db.db.selectFrom('messages').select('id').where('mailbox_id', '=', mailboxId).orderBy('id').execute()).map((r) => r.id);
    const before = await ids();
    // As if the server had recreated the folder: the stored cursor's UIDVALIDITY no longer matches.
    await env.db.db
      .updateTable('mail_folders')
      .set({ cursor: JSON.stringify({ uidValidity: '1', uidNext: '1', highestModseq: null, total: 0 }) })
      .where('mailbox_id', '=', mailboxId)
      .where('remote_id', '=', 'INBOX')
      .execute();
    await patch({ displayName: 'Backfill' }); // any change makes the runner start a full round
    await waitFor('rebuilt', async () => ((await inbox()).cursor as { uidValidity: string }).uidValidity !== '1', 20_000);
    expect(await ids()).toEqual(before);
  });

  it('fetches everything when widened to all, and new mail still arrives', async () => {
    await patch({ backfill: 'all' });
    await settlesAt(AGES.length + 1); // the moved-in message is one of them
    expect(new Date((await inbox()).listed_from!).getTime()).toBe(0);
    await env.dovecot.append(USER, 'INBOX', fixtureMessage(100, { tag: 'bf' }));
    await settlesAt(AGES.length + 2);
  });
});
