/**
 * Outbox benchmark (prints only). Queues N messages at once to one mailbox on the harness (SMTP server +
 * Dovecot, real TLS, the Sent copy appended over IMAP) and lets one outbox worker send them, as the
 * server runs it. Prints queued→accepted latency (accepted: the SMTP server took the message) p50/p95,
 * the per-attempt time (taken → accepted), and messages/s from queueing to the last row sent.
 *
 *   npm run bench:send -- --n 1000                  # PostgreSQL server (the test one)
 *   options: --db pglite|postgres --concurrency 4
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { startOutboxEnv } from '../test/support/outbox.ts';
import { waitFor } from '../test/support/wait.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    db: { type: 'string', default: 'postgres' },
    concurrency: { type: 'string', default: '4' },
  },
});
const N = Number(values.n);
const kind = values.db === 'pglite' ? 'pglite' : 'postgres';
const concurrency = Number(values.concurrency);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

const o = await startOutboxEnv(kind);
try {
  const db = o.env.db.db;
  // Built and stored first, due in a year: the clock starts when they all become due at once.
  const later = new Date(Date.now() + 365 * 86_400_000);
  const ids: string[] = [];
  for (let i = 0; i < N; i++)
    ids.push((await o.queue({ subject: `bench ${i}`, to: [`customer${i % 50}@customer.test`], sendAt: later })).id);
  const takenAt = new Map<string, number>();
  o.env.services.events.on('outbox.updated', (e) => {
    if (e.state === 'sending' && !takenAt.has(e.outboxId)) takenAt.set(e.outboxId, Date.now());
  });
  const queuedAt = Date.now();
  await sql`update outbox_messages set send_at = now() where state = 'queued'`.execute(db);
  o.worker({ concurrency });
  await waitFor(
    `${N} messages sent`,
    async () => {
      const r = await db
        .selectFrom('outbox_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'sent')
        .executeTakeFirstOrThrow();
      return Number(r.n) === N;
    },
    30 * 60_000,
    100,
  );
  const doneAt = Date.now();
  const failed = await db.selectFrom('outbox_messages').select('id').where('state', '!=', 'sent').execute();
  const rows = await db.selectFrom('outbox_messages').select(['id', 'message_id_header']).execute();
  const acceptedAt = new Map(
    o.smtp.received.map((r) => [/^message-id:\s*(\S+)/im.exec(r.raw.toString('latin1'))?.[1] ?? '', r.receivedAt.getTime()]),
  );
  const queuedToAccepted: number[] = [];
  const takenToAccepted: number[] = [];
  for (const r of rows) {
    const at = acceptedAt.get(r.message_id_header);
    if (at === undefined) continue;
    queuedToAccepted.push(at - queuedAt);
    const taken = takenAt.get(r.id);
    if (taken !== undefined) takenToAccepted.push(at - taken);
  }
  queuedToAccepted.sort((a, b) => a - b);
  takenToAccepted.sort((a, b) => a - b);
  const seconds = (doneAt - queuedAt) / 1000;
  console.log(`bench:send  ${N} messages, ${kind}, worker concurrency ${concurrency}, load ${loadavg()[0]!.toFixed(2)}`);
  console.log(`  delivered ${o.smtp.received.length} (failed or unsent: ${failed.length})`);
  console.log(`  queued → accepted   p50 ${ms(pct(queuedToAccepted, 50))}  p95 ${ms(pct(queuedToAccepted, 95))}  (all queued at once)`);
  console.log(
    `  taken → accepted    p50 ${ms(pct(takenToAccepted, 50))}  p95 ${ms(pct(takenToAccepted, 95))}  (one attempt: SMTP, Sent copy, commits)`,
  );
  console.log(`  throughput          ${(N / seconds).toFixed(1)} messages/s (${seconds.toFixed(1)} s from queued to the last sent)`);
} finally {
  await o.close();
}
