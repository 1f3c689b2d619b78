// kill -9 at each step of sending, then another worker: the recipient gets exactly one copy, Sent holds
// exactly one, and the row ends 'sent'. The child stops at a step through the outbox's test hook
// (TIDINGS_TEST_OUTBOX_HOLD_AT), so the kill lands exactly there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoldPoint } from '../../src/outbox/test-hold.ts';
import { type OutboxEnv, startOutboxEnv } from '../support/outbox.ts';
import { startOutboxChild } from '../support/outbox-child.ts';
import { waitFor } from '../support/wait.ts';

const MASTER_KEY = 'test-master-key-0123456789abcdef';

describe('the outbox survives kill -9 at every step (PostgreSQL, SMTP + Dovecot harness)', () => {
  let o: OutboxEnv;

  beforeAll(async () => {
    o = await startOutboxEnv('postgres');
  }, 60_000);

  afterAll(async () => {
    await o?.close();
  });

  // What the dead attempt leaves behind, and so how the next worker must resolve it.
  const cases: Array<{ at: HoldPoint; phase: string | null; receivedAtKill: number }> = [
    // Taken under a lease, nothing sent: sent again once the lease lapses.
    { at: 'queued', phase: null, receivedAtKill: 0 },
    // Signed in, nothing handed over: sent again.
    { at: 'connected', phase: 'connected', receivedAtKill: 0 },
    // The server answered 250 to the dot, the process died before committing 'accepted': found in Sent.
    { at: 'transmitted', phase: 'transmitted', receivedAtKill: 1 },
    // Accepted and committed, died before 'saved' / 'sent': found in Sent.
    { at: 'accepted', phase: 'accepted', receivedAtKill: 1 },
  ];

  for (const c of cases) {
    it(`killed at ${c.at}: one copy delivered, one in Sent, row sent`, async () => {
      const q = await o.queue({ subject: `killed at ${c.at}` });
      const { child, output } = startOutboxChild({
        databaseUrl: o.env.db.url!,
        dataDir: o.env.config.dataDir,
        masterKey: MASTER_KEY,
        holder: `child-${c.at}`,
        holdAt: c.at,
      });
      try {
        await waitFor(`the child to hold at ${c.at}`, async () => output().includes(`outbox-hold ${c.at} ${q.id}`), 30_000, 20);
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      const dead = await o.row(q.id);
      expect(dead.state, output()).toBe('sending');
      expect(dead.phase).toBe(c.phase);
      expect(dead.lease_holder).toBe(`child-${c.at}`);
      expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(c.receivedAtKill);

      const w = o.worker({ holder: `parent-${c.at}` });
      try {
        const row = await o.waitForState(q.id, 'sent');
        expect(row.attempts).toBe(2);
      } finally {
        await w.stop();
      }
      expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(1);
      expect(await o.sentCopies(q.messageIdHeader)).toBe(1);
      const audit = await o.env.db.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'mail.send')
        .where('target_id', '=', q.id)
        .execute();
      expect(audit).toHaveLength(1);
      // Resolved from Sent (not sent again) exactly when the dead attempt had reached the server's yes.
      expect((audit[0]!.detail as { resolvedFromSent?: boolean }).resolvedFromSent ?? false).toBe(c.receivedAtKill === 1);
    }, 60_000);
  }

  it('an unclear end whose Sent folder cannot be read is checked again, then failed as send_outcome_unknown, never sent blindly', async () => {
    const q = await o.queue({ subject: 'unclear, Sent unreadable' });
    // As a dead attempt leaves it: past the go, lease lapsed.
    await o.env.db.db
      .updateTable('outbox_messages')
      .set({ state: 'sending', phase: 'transmitted', lease_holder: 'dead', lease_expires_at: new Date(Date.now() - 1000), attempts: 1 })
      .where('id', '=', q.id)
      .execute();
    const mailbox = await o.env.db.db.selectFrom('mailboxes').select('imap_port').where('id', '=', o.mailboxId).executeTakeFirstOrThrow();
    // Nothing listens on port 1: Sent cannot be read.
    await o.env.db.db.updateTable('mailboxes').set({ imap_port: 1 }).where('id', '=', o.mailboxId).execute();
    const w = o.worker({ holder: 'checker', giveUpAfterMs: 2_000, retryDelaysMs: [200] });
    try {
      const row = await o.waitForState(q.id, 'failed');
      expect(row.last_error_code).toBe('send_outcome_unknown');
      expect(row.last_error).toMatch(/Sent folder could not be read/);
      expect(row.attempts).toBeGreaterThan(2);
    } finally {
      await w.stop();
      await o.env.db.db.updateTable('mailboxes').set({ imap_port: mailbox.imap_port }).where('id', '=', o.mailboxId).execute();
    }
    expect(o.smtp.receivedWithMessageId(q.messageIdHeader)).toHaveLength(0);
  }, 60_000);
});
