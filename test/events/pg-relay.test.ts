import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { createEventBus, type EventBus, type EventRelay, startPgEventRelay } from '../../src/events/index.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { waitFor } from '../support/wait.ts';

const log = createLogger('silent');

/** Two processes' buses on one PostgreSQL database, each with its relay. */
describe('the event relay (PostgreSQL LISTEN/NOTIFY)', () => {
  let database: { url: string; drop(): Promise<void> };
  const buses: EventBus[] = [];
  const relays: EventRelay[] = [];
  const heard: Array<Array<{ type: string; origin: string; messageId?: string }>> = [[], []];
  const localWork: string[][] = [[], []];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    for (const i of [0, 1]) {
      const bus = createEventBus();
      bus.subscribe((e, origin) => heard[i]!.push({ type: e.type, origin, messageId: (e.data as { messageId?: string }).messageId }));
      bus.onLocal('message.created', (d) => localWork[i]!.push(d.messageId));
      buses.push(bus);
      relays.push(await startPgEventRelay({ bus, databaseUrl: database.url, log, reconnectMs: 100 }));
    }
  });

  afterAll(async () => {
    for (const r of relays) await r.stop();
    await database?.drop();
  });

  it('carries an event to the other process, in order, once, and per-event work stays where it was raised', async () => {
    for (let n = 0; n < 20; n++) buses[0]!.emit('message.created', { mailboxId: 'mb', messageId: `m${n}` });
    await waitFor('the other process hears all 20', async () => heard[1]!.length >= 20);
    expect(heard[1]!.map((e) => e.messageId)).toEqual(Array.from({ length: 20 }, (_, n) => `m${n}`));
    expect(heard[1]!.every((e) => e.origin === 'remote')).toBe(true);
    // The sender hears its own events once, as local: its relay drops the copy PostgreSQL sends back.
    await new Promise((r) => setTimeout(r, 200));
    expect(heard[0]!.filter((e) => e.origin === 'local')).toHaveLength(20);
    expect(heard[0]!.filter((e) => e.origin === 'remote')).toHaveLength(0);
    expect(localWork[0]).toHaveLength(20);
    expect(localWork[1]).toHaveLength(0);
  });

  it('keeps an event too large for NOTIFY in its own process', async () => {
    heard[1]!.length = 0;
    buses[0]!.emit('message.created', { mailboxId: 'x'.repeat(9_000), messageId: 'big' });
    buses[0]!.emit('message.created', { mailboxId: 'mb', messageId: 'small' });
    await waitFor('the small one arrives', async () => heard[1]!.length > 0);
    expect(heard[1]!.map((e) => e.messageId)).toEqual(['small']);
    expect(localWork[0]).toContain('big');
  });

  it('reconnects after its connection is killed, reports the gap, and carries events again', async () => {
    let gaps = 0;
    buses[1]!.onGap(() => gaps++);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
    } finally {
      await admin.end();
    }
    await waitFor('both relays are back', async () => gaps > 0 && relays.every((r) => r.connected()));
    expect(gaps).toBe(1);
    heard[1]!.length = 0;
    buses[0]!.emit('message.created', { mailboxId: 'mb', messageId: 'after' });
    await waitFor('an event after the reconnect arrives', async () => heard[1]!.length > 0);
    expect(heard[1]!.map((e) => e.messageId)).toEqual(['after']);
  });
});
