/**
 * npm run bench:mailboxes -- [--n 1000] [--each 3] [--idle-seconds 60] [--arrivals 100] [--every-ms 200] [--db postgres|pglite]
 * Many mailboxes watched by one server: N Dovecot users (a few messages each) bound through the API to a
 * Tidings server started as `npm start` starts it (bench/product-path.ts), then, after every message is
 * stored and the server sat idle for a while: its resident memory, its open IMAP connections and its file
 * descriptors; then new-mail latency while mail arrives in random mailboxes (IMAP APPEND as the harness's
 * master user, timed until the message's row exists). `--db pglite`: the embedded database, counted through
 * the API, without the latency phase (the bench cannot read its rows). Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startDovecot } from '../test/harness/index.ts';
import { freePort } from '../test/harness/ports.ts';
import { freshBenchDatabase, percentile } from './bench-database.ts';
import { Session, startServer } from './product-path.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const N = Number(arg('n', '100'));
const EACH = Number(arg('each', '3'));
const IDLE_SECONDS = Number(arg('idle-seconds', '60'));
const ARRIVALS = Number(arg('arrivals', '100'));
const EVERY_MS = Number(arg('every-ms', '200'));
const DB = arg('db', 'postgres') as 'postgres' | 'pglite';
// More binds at once starve the server's ten database connections while the first imports run.
const BIND_PARALLEL = 4;

const user = (k: number) => `rep${k}@many.bench`;
const password = (k: number) => `rep-${k}-password`;

function mail(id: string, to: string): string {
  return [
    'From: Customer <buyer@customer.bench>',
    `To: <${to}>`,
    `Subject: Order ${id}`,
    `Message-ID: <${id}@many.bench>`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, about order ${id}.`,
    '',
  ].join('\r\n');
}

/** Resident memory of a process in MB (VmRSS), and its peak (VmHWM). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** utime + stime of a process and its threads, in seconds (Linux /proc). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The largest resident mappings in MB: the embedded database's WebAssembly memory is one of them (a
 * reservation of several GB of which what it touched is resident), V8's heaps are many small ones.
 */
function largestMappings(pid: number, count: number): string {
  const sizes: Array<[string, number]> = [];
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] || '[anonymous]';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sizes.push([name, Number(rss[1]) / 1024]);
  }
  return sizes
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([n, mb]) => `${mb.toFixed(0)} MB ${path.basename(n)}`)
    .join(', ');
}

function threadsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

function fdsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Established TCP connections to the IMAPS port (only the server holds any between arrivals). */
function imapConnections(port: number): number {
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim()).length;
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * The seed mail written straight into each user's Maildir (new/), as a delivery agent would: a doveadm
 * save per message takes minutes for a thousand users. Dovecot indexes the files at the first login.
 */
async function seedMaildirs(dovecotDir: string, ks: number[]): Promise<void> {
  const home = path.join(dovecotDir, 'home');
  for (const k of ks) {
    const maildir = path.join(home, user(k), 'Maildir');
    await Promise.all(['cur', 'new', 'tmp'].map((d) => fs.mkdir(path.join(maildir, d), { recursive: true })));
    for (let i = 0; i < EACH; i++)
      await fs.writeFile(path.join(maildir, 'new', `${Date.now()}.seed${k}_${i}.bench`), mail(`seed-${k}-${i}`, user(k)));
  }
  execFileSync('chown', ['-R', 'dovecot:dovecot', home]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-many-'));
  const dovecot = await startDovecot({ connectionLimit: 4 * N + 50 });
  const database = await freshBenchDatabase(DB);
  const port = await freePort();
  const dataDir = path.join(work, 'data');
  await fs.mkdir(dataDir);
  const inotify = readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8').trim();
  console.log(
    `bench:mailboxes · ${N} mailboxes × ${EACH} messages on ${DB} · ${os.cpus().length} cores · ` +
      `inotify instances per user ${inotify} (Dovecot's IDLE sessions beyond them look every 1 s)`,
  );
  const ks = Array.from({ length: N }, (_, k) => k);
  let t = performance.now();
  await dovecot.addUsers(ks.map((k) => ({ email: user(k), password: password(k) })));
  await seedMaildirs(dovecot.dir, ks);
  console.log(`  Dovecot filled in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const server = await startServer({ work, certPem: dovecot.certPem, databaseUrl: database.url }, port, dataDir);
  const pid = server.pid!;
  const api = new Session(`http://127.0.0.1:${port}`);
  const mailboxIds: string[] = [];
  const count = database.url ? databaseCounter(database.url) : apiCounter(api, mailboxIds);
  try {
    const setup = await api.request('POST', '/api/v1/setup', {
      email: 'admin@many.bench',
      name: 'Bench Admin',
      password: 'bench-admin-password-1',
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
    await sleep(5_000);
    const before = memoryOf(pid);
    console.log(`  server started, no mailbox: RSS ${before.rss.toFixed(0)} MB, ${threadsOf(pid)} threads, ${fdsOf(pid)} fds`);
    console.log(`  largest mappings: ${largestMappings(pid, 4)}`);

    t = performance.now();
    await inParallel(ks, BIND_PARALLEL, async (k) => {
      const bound = await api.request<{ mailbox: { id: string } }>('POST', '/api/v1/mailboxes', {
        email: user(k),
        password: password(k),
        imap: { host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls' },
        smtp: null,
        backfill: 'all',
      });
      if (bound.status !== 201) throw new Error(`binding ${user(k)} answered ${bound.status}: ${JSON.stringify(bound.data)}`);
      mailboxIds.push(bound.data.mailbox.id);
    });
    console.log(`  ${N} mailboxes bound in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (;;) {
      const stored = await count.seeded();
      if (stored >= N * EACH) break;
      await sleep(500);
    }
    console.log(`  every message stored ${((performance.now() - t) / 1000).toFixed(1)} s after the first bind`);
    const peak = memoryOf(pid);
    const cpuBefore = cpuOf(pid);
    await sleep(IDLE_SECONDS * 1000);
    const idleCpu = (cpuOf(pid) - cpuBefore) / IDLE_SECONDS;
    const idle = memoryOf(pid);
    const connections = imapConnections(dovecot.imapsPort);
    console.log(
      `  idle ${IDLE_SECONDS} s after import: RSS ${idle.rss.toFixed(0)} MB (peak so far ${peak.hwm.toFixed(0)} MB), ` +
        `${connections} IMAP connections (${(connections / N).toFixed(2)} per mailbox), ${fdsOf(pid)} fds, ${threadsOf(pid)} threads, ` +
        `CPU ${(idleCpu * 100).toFixed(1)}% of a core (load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(`  per mailbox: ${((idle.rss - before.rss) / N).toFixed(2)} MB above the empty server`);
    console.log(`  largest mappings: ${largestMappings(pid, 4)}`);

    // New mail in random mailboxes, one every EVERY_MS on average, each timed until its row exists.
    if (!database.url || ARRIVALS === 0) return;
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    const watch = (async () => {
      while (latencies.length < ARRIVALS) {
        if (sent.size) {
          for (const id of await count.arrived([...sent.keys()])) {
            latencies.push(performance.now() - sent.get(id)!);
            sent.delete(id);
          }
        }
        await sleep(20);
      }
    })();
    const started = performance.now();
    for (let i = 0; i < ARRIVALS; i++) {
      const k = Math.floor(Math.random() * N);
      const id = `new-${i}-${k}`;
      await dovecot.append(user(k), 'INBOX', mail(id, user(k)), ['\\Flagged']);
      sent.set(id, performance.now());
      await sleep(EVERY_MS * 2 * Math.random());
    }
    const timeout = sleep(60_000).then(() => 'timeout' as const);
    if ((await Promise.race([watch, timeout])) === 'timeout') console.log(`  ${sent.size} new messages never stored within 60 s`);
    const rate = ARRIVALS / ((performance.now() - started) / 1000);
    const p = (q: number) => (percentile(latencies, q) / 1000).toFixed(2);
    console.log(
      `  new-mail latency over ${latencies.length} arrivals (${rate.toFixed(1)}/s): p50 ${p(50)} s, p95 ${p(95)} s, max ${p(100)} s`,
    );
    const after = memoryOf(pid);
    console.log(
      `  after arrivals: RSS ${after.rss.toFixed(0)} MB, peak ${after.hwm.toFixed(0)} MB, ${imapConnections(dovecot.imapsPort)} IMAP connections, ${fdsOf(pid)} fds`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    await count.close();
    await dovecot.stop();
    await database.drop();
    await fs.rm(work, { recursive: true, force: true });
  }
}

interface Counter {
  seeded(): Promise<number>;
  /** Of `ids`, those stored by now. */
  arrived(ids: string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** The embedded database is the server's alone: what the inbox shows, the folders' message counts. */
function apiCounter(api: Session, mailboxIds: string[]): Counter {
  return {
    async seeded() {
      let n = 0;
      for (const id of mailboxIds) {
        const folders = await api.request<{ items: Array<{ total: number }> }>('GET', `/api/v1/mailboxes/${id}/folders`);
        n += (folders.data.items ?? []).reduce((sum, f) => sum + f.total, 0);
      }
      return n;
    },
    arrived: async () => [],
    close: async () => undefined,
  };
}

/** Reads message rows behind the server's back. */
function databaseCounter(url: string): Counter {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    async seeded(): Promise<number> {
      const r = await pool.query("select count(*)::int as n from messages where message_id_header like '%seed-%'");
      return r.rows[0].n as number;
    },
    async arrived(ids: string[]): Promise<string[]> {
      const headers = ids.map((id) => `<${id}@many.bench>`);
      const r = await pool.query('select message_id_header from messages where message_id_header = any($1)', [headers]);
      return r.rows.map((row: { message_id_header: string }) => row.message_id_header.replace(/^<|@many\.bench>$/g, ''));
    },
    close: () => pool.end(),
  };
}

await main();
