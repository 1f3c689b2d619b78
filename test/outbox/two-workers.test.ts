// Several workers on one database (as several processes would be): each queued row is taken by one of
// them and sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxEnv, startOutboxEnv } from '../support/outbox.ts';

const N = 40;

describe('two outbox workers on one database (PostgreSQL)', () => {
  let o: OutboxEnv;

  beforeAll(async () => {
    o = await startOutboxEnv('postgres');
  }, 60_000);

  afterAll(async () => {
    await o?.close();
  });

  it('sends each of 40 rows exactly once', async () => {
    const queued = [];
    for (let i = 0; i < N; i++) queued.push(await o.queue({ subject: `parallel ${i}` }));
    // Both start on a full queue and wake on the same events: they race for every row.
    o.worker({ holder: 'one', concurrency: 4 });
    o.worker({ holder: 'two', concurrency: 4 });
    for (const q of queued) await o.waitForState(q.id, 'sent');
    for (const q of queued) expect(o.smtp.receivedWithMessageId(q.messageIdHeader), q.messageIdHeader).toHaveLength(1);
    expect(o.smtp.received).toHaveLength(N);
    const rows = await o.env.db.db.selectFrom('outbox_messages').select(['attempts']).execute();
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // One audit line per row: no row was finished twice.
    const audit = await o.env.db.db.selectFrom('audit_log').select('target_id').where('action', '=', 'mail.send').execute();
    expect(new Set(audit.map((a) => a.target_id)).size).toBe(N);
    expect(audit).toHaveLength(N);
  }, 120_000);
});
