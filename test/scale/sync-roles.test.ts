import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../src/app/ensure-web-build.ts';
import { createApiToken } from '../../src/auth/api-tokens.ts';
import { openDatabase, type Db } from '../../src/db/index.ts';
import { loadMasterKey, Vault } from '../../src/vault/index.ts';
import { type DovecotInstance, startDovecot } from '../harness/index.ts';
import { fixtureMessage } from '../support/corpus.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { asUser } from '../support/imap.ts';
import { insertServerMailbox, insertUser } from '../support/rows.ts';
import { startTidingsProcess, type TidingsProcess } from '../support/tidings-process.ts';
import { waitFor } from '../support/wait.ts';

// 300 by default; a smaller run (TIDINGS_TEST_ROLES_MAILBOXES=30) checks the same things in a minute.
const MAILBOXES = Number(process.env.TIDINGS_TEST_ROLES_MAILBOXES ?? 300);
const EACH = 2;
const LEASE_SECONDS = 6;
const MASTER_KEY = 'test-master-key-0123456789abcdef';
const user = (k: number) => `seller${k}@example.test`;

/** Which mailboxes each live sync process says it syncs now (GET /api/v1/sync/held). */
async function heldBy(procs: TidingsProcess[]): Promise<Map<TidingsProcess, string[]>> {
  const out = new Map<TidingsProcess, string[]>();
  for (const p of procs) {
    const res = await fetch(`${p.url}/api/v1/sync/held`);
    out.set(p, ((await res.json()) as { mailboxIds: string[] }).mailboxIds);
  }
  return out;
}

/**
 * Three `tidings serve --role sync` processes share 300 Dovecot mailboxes on one PostgreSQL database:
 * each syncs about a third, never one mailbox two at a time, and when one is killed -9 the others take
 * its mailboxes within the lease time, with nothing lost or stored twice.
 */
describe('three sync processes, 300 mailboxes, one PostgreSQL', { timeout: 600_000 }, () => {
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  let dovecot: DovecotInstance;
  let ownerId: string;
  const ids: string[] = [];
  const emailOf = new Map<string, string>();
  let syncs: TidingsProcess[] = [];
  const all: TidingsProcess[] = [];
  // The watch over "one process per mailbox": every round asks each live process what it syncs.
  const overlapsSeen: string[] = [];
  let watching = true;
  let watcher: Promise<void> = Promise.resolve();

  const counts = async () => {
    const rows = await db.db
      .selectFrom('messages')
      .select(['mailbox_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('mailbox_id')
      .execute();
    return new Map(rows.map((r) => [r.mailbox_id, Number(r.n)]));
  };

  beforeAll(async () => {
    // The web process serves web/dist: built here, once, rather than inside its start.
    await ensureWebBuild();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-roles-'));
    database = await createPostgresDatabase({ migrated: true });
    db = await openDatabase({ databaseUrl: database.url, dataDir });
    const vault = await Vault.open(db.db, (await loadMasterKey({ envKey: MASTER_KEY, dataDir, create: false }))!, dataDir);
    // One IMAP connection or more per mailbox: Dovecot's default of 100 TLS logins at once is too few.
    dovecot = await startDovecot({ connectionLimit: 4 * MAILBOXES });
    const sellers = Array.from({ length: MAILBOXES }, (_, k) => ({ email: user(k), password: `seller-${k}-password` }));
    await dovecot.addUsers(sellers);
    ownerId = await insertUser(db.db);
    for (const s of sellers) {
      const id = await insertServerMailbox(db.db, vault, dovecot, { ownerUserId: ownerId, email: s.email, password: s.password });
      ids.push(id);
      emailOf.set(id, s.email);
    }
    // One IMAP session per seller, a few at once: cheaper than a doveadm process per message.
    const appends = sellers.map(
      (s, k) => () =>
        asUser(dovecot, s.email, s.password, async (c) => {
          for (let i = 0; i < EACH; i++) await c.append('INBOX', fixtureMessage(k * 100 + i, { tag: s.email }));
        }),
    );
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = appends.shift(); next; next = appends.shift()) await next();
      }),
    );
    const env = { TIDINGS_SYNC_LEASE_SECONDS: String(LEASE_SECONDS) };
    syncs = await Promise.all(
      [0, 1, 2].map(() => startTidingsProcess({ role: 'sync', databaseUrl: database.url, dataDir, masterKey: MASTER_KEY, env })),
    );
    all.push(...syncs);
    watcher = (async () => {
      let previous = new Set<string>();
      while (watching) {
        const live = syncs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
        const seen = new Map<string, number>();
        for (const list of (await heldBy(live).catch(() => new Map<TidingsProcess, string[]>())).values())
          for (const id of list) seen.set(id, (seen.get(id) ?? 0) + 1);
        const twice = new Set([...seen].filter(([, n]) => n > 1).map(([id]) => id));
        // A hand-over can fall between two processes' answers of one round; a mailbox in two processes
        // in two rounds running is two processes syncing it.
        for (const id of twice) if (previous.has(id)) overlapsSeen.push(id);
        previous = twice;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
  }, 600_000);

  afterAll(async () => {
    watching = false;
    await watcher;
    for (const p of all) await p.stop();
    await db?.close();
    await dovecot?.stop();
    await database?.drop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('imports every mailbox exactly once, each process syncing about a third and no mailbox two at a time', async () => {
    await waitFor(
      'every mailbox imported',
      async () => {
        const c = await counts();
        return ids.every((id) => c.get(id) === EACH);
      },
      300_000,
      500,
    );
    const settled = await waitFor(
      'the shares to settle',
      async () => {
        const held = [...(await heldBy(syncs)).values()].map((l) => l.length);
        return held.reduce((a, b) => a + b, 0) === MAILBOXES && Math.max(...held) - Math.min(...held) <= 1 ? held : null;
      },
      60_000,
      250,
    );
    console.log(`shares of ${MAILBOXES} mailboxes over 3 sync processes: ${settled.join(', ')}`);
    expect(Math.max(...settled)).toBeLessThanOrEqual(Math.ceil(MAILBOXES / 3));
    const leases = await db.db
      .selectFrom('sync_leases')
      .select(['mailbox_id', 'holder'])
      .where('expires_at', '>', sql<Date>`now()`)
      .execute();
    expect(leases).toHaveLength(MAILBOXES);
    expect(new Set(leases.map((l) => l.holder)).size).toBe(3);
    expect(overlapsSeen).toEqual([]);
  });

  it('takes over a killed process mailboxes within the lease time, with nothing lost or stored twice', async () => {
    const victim = syncs[0]!;
    const orphaned = (await heldBy([victim])).get(victim)!;
    expect(orphaned.length).toBeGreaterThan(0);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    // Mail that arrives while nobody syncs those mailboxes.
    for (const id of orphaned.slice(0, 20))
      await dovecot.append(emailOf.get(id)!, 'INBOX', fixtureMessage(9_000 + ids.indexOf(id), { tag: 'after-kill' }));
    const survivors = syncs.slice(1);
    await waitFor(
      'the survivors to hold every mailbox',
      async () => {
        const held = [...(await heldBy(survivors)).values()];
        return held.reduce((a, l) => a + l.length, 0) === MAILBOXES;
      },
      LEASE_SECONDS * 5_000,
      100,
    );
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    const shares = [...(await heldBy(survivors)).values()].map((l) => l.length);
    console.log(
      `kill -9 of one sync process: its ${orphaned.length} mailboxes held again after ${takeoverSeconds.toFixed(1)} s (lease ${LEASE_SECONDS} s); shares ${shares.join(', ')}`,
    );
    const extra = new Set(orphaned.slice(0, 20));
    await waitFor(
      'the mail that came meanwhile to be imported',
      async () => {
        const c = await counts();
        return ids.every((id) => c.get(id) === EACH + (extra.has(id) ? 1 : 0));
      },
      120_000,
      500,
    );
    const duplicates = await sql<{ n: number }>`
      select count(*)::int as n from (
        select mailbox_id, message_id_header from messages group by mailbox_id, message_id_header having count(*) > 1
      ) d`.execute(db.db);
    expect(duplicates.rows[0]!.n).toBe(0);
    expect(overlapsSeen).toEqual([]);
  });

  it('carries an event raised in a sync process to a browser event stream served by a web process', async () => {
    const web = await startTidingsProcess({ role: 'web', databaseUrl: database.url, dataDir, masterKey: MASTER_KEY });
    all.push(web);
    const { secret } = await createApiToken(db.db, ownerId, 'event stream');
    const abort = new AbortController();
    const res = await fetch(`${web.url}/api/v1/events`, { headers: { authorization: `Bearer ${secret}` }, signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let stream = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        stream += value;
      }
    })();
    await waitFor('the stream to open', async () => stream.includes(': connected'));
    const target = ids[7]!;
    await dovecot.append(emailOf.get(target)!, 'INBOX', fixtureMessage(9_500, { tag: 'to-the-browser' }));
    const arrived = await waitFor(
      'message.created from the sync process on the web process stream',
      async () =>
        [...stream.matchAll(/event: message\.created\ndata: (\{[^\n]*\})/g)]
          .map((m) => JSON.parse(m[1]!) as { mailboxId: string; messageId: string })
          .find((e) => e.mailboxId === target),
      60_000,
      50,
    );
    const stored = await db.db.selectFrom('messages').select('mailbox_id').where('id', '=', arrived.messageId).executeTakeFirst();
    expect(stored?.mailbox_id).toBe(target);
    abort.abort();
    await reading;
  });
});
