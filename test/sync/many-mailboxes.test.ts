import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureMessage } from '../support/corpus.ts';
import { insertServerMailbox } from '../support/rows.ts';
import { countMessages, startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

/**
 * A sales team's worth of mailboxes in one process: each imports exactly, each keeps its own IDLE, and
 * new mail in any of them arrives. (The scratch run behind it found the harness adding users too fast.)
 */
describe('thirty mailboxes in one process (PostgreSQL)', () => {
  const MAILBOXES = 30;
  const EACH = 5;
  const user = (k: number) => `rep${k}@example.test`;
  let env: SyncEnv;
  const ids: string[] = [];

  beforeAll(async () => {
    env = await startSyncEnv('postgres');
    const reps = Array.from({ length: MAILBOXES }, (_, k) => ({ email: user(k), password: `rep-${k}-password` }));
    await env.dovecot.addUsers(reps);
    for (const rep of reps) {
      ids.push(
        await insertServerMailbox(env.db.db, env.services.vault, env.dovecot, {
          ownerUserId: env.adminId,
          email: rep.email,
          password: rep.password,
        }),
      );
      for (let i = 0; i < EACH; i++) await env.dovecot.append(rep.email, 'INBOX', fixtureMessage(ids.length * 100 + i, { tag: rep.email }));
    }
    env.supervisor({ discoverMs: 1_000, pollMs: 60_000 }).start();
  }, 120_000);
  afterAll(async () => env?.close());

  it('imports every mailbox exactly', { timeout: 120_000 }, async () => {
    for (const id of ids) await waitFor(`import of ${id}`, async () => (await countMessages(env, id)) === EACH, 60_000);
    const perMailbox = await env.db.db
      .selectFrom('messages')
      .select(['mailbox_id', env.db.db.fn.countAll<number>().as('n')])
      .groupBy('mailbox_id')
      .execute();
    expect(perMailbox.map((r) => Number(r.n))).toEqual(Array(MAILBOXES).fill(EACH));
  });

  it('watches every Inbox: new mail in each arrives', { timeout: 120_000 }, async () => {
    for (const id of ids)
      await waitFor(
        `watching ${id}`,
        async () => (await env.admin.get(`/api/v1/mailboxes/${id}`)).data.mailbox?.sync?.state === 'watching',
        20_000,
      );
    for (let k = 0; k < MAILBOXES; k++) await env.dovecot.append(user(k), 'INBOX', fixtureMessage(k * 100 + 50, { tag: `new${k}` }));
    for (let k = 0; k < MAILBOXES; k++)
      await waitFor(`new mail in mailbox ${k}`, async () => (await countMessages(env, ids[k])) === EACH + 1, 10_000);
  });
});
