/**
 * npm run bench:sync -- [--n 5000] [--db postgres|pglite|both] [--samples 50] [--path product|engine|both] [--no-graph]
 *   [--blob-url s3rver|s3://…]  the engine's blobs in object storage (s3rver: the test harness's, started here)
 * Fills a private Dovecot mailbox with realistic mail, then measures: mbsync downloading it (the yardstick),
 * on each database the import a user gets (a started server, the mailbox bound through the API, until every
 * message is stored and linked: bench/product-path.ts), and the engine's import alone (engine + ingest +
 * store, no server, no linking) with new-mail latency over IDLE; then the same messages imported over
 * Microsoft Graph from the Graph harness server (bench/graph-import.ts).
 * Each import runs in its own Node process (peak RSS is its VmHWM from the start of the import), from JavaScript built as
 * `npm start` builds it (--from-source: through tsx). Prints figures; asserts nothing.
 * BENCH_NODE=PATH starts the import process with another launcher than this node (a script that execs
 * `heaptrack node "$@"`, say), to see where its memory goes.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { createLogger } from '../src/app/logger.ts';
import { migrateToLatest, openDatabase, type Db } from '../src/db/index.ts';
import { createEventBus } from '../src/events/index.ts';
import { createIngestPool, parseBlobUrl } from '../src/ingest/index.ts';
import { openBlobStores } from '../src/store/blob-stores.ts';
import { createSyncSupervisor, mailConnectorFactory, syncHostChecker } from '../src/sync/index.ts';
import { loadMasterKey, Vault } from '../src/vault/index.ts';
import { startDovecot, startS3, type DovecotInstance } from '../test/harness/index.ts';
import { fixtureMessage } from '../test/support/corpus.ts';
import { createPostgresDatabase } from '../test/support/database.ts';
import { insertServerMailbox, insertUser } from '../test/support/rows.ts';
import inspector from 'node:inspector';
import { NODE_ENV, NODE_FLAGS } from '../bin/node-flags.js';
import { cpuBetween, cpuByCommand, cpuByThread } from './process-cpu.ts';
import { ewsEngineImport } from './ews-sync.ts';
import { writeMbsyncConfig } from './mbsync.ts';
import { describePhases, productPathImport } from './product-path.ts';
import { graphImport } from './graph-import.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};
const N = Number(arg('n', '5000'));
const DBS = arg('db', 'postgres') === 'both' ? ['postgres', 'pglite'] : [arg('db', 'postgres')];
const SAMPLES = Number(arg('samples', '50'));
// --profile FILE: a CPU profile of the main thread during the import only (open it in Chrome DevTools).
const PROFILE = arg('profile', '');
// --profile-latency FILE: the same for the new-mail latency phase.
const PROFILE_LATENCY = arg('profile-latency', '');
// --perf FILE: Linux perf samples (with call graphs) of every thread of the import process during the
// import only: where the V8 helper threads' time goes, which a JavaScript profile cannot show.
const PERF = arg('perf', '');
// --workers K: parse workers (default: as the server sizes them, one per core but one).
const WORKERS = Number(arg('workers', '0'));
// --depth D: messages in flight per parse worker (default: the pool's).
const DEPTH = Number(arg('depth', '0'));
// --path product|engine|both: which imports to run on each database (default both).
const PATHS = arg('path', 'both') === 'both' ? ['product', 'engine'] : [arg('path', 'both')];
const GRAPH = !process.argv.includes('--no-graph');
// --blob-url: as TIDINGS_BLOB_URL for the engine import (the parent starts s3rver and hands its URL down).
const BLOB_ARG = arg('blob-url', '');
const USER = 'bench@example.test';
const PASS = 'bench-password-1';
const MB = 1024 * 1024;
/** The bench's Dovecot listens on loopback. */
const LOCAL_DOVECOT = { allowLocalMailHosts: true, allowPrivateMailHostsForMembers: false };

function message(i: number): Buffer {
  const charset = i % 10 === 1 ? 'gbk' : i % 10 === 2 ? 'big5' : 'utf8';
  // ~20% with attachments, sizes spread up to 600 KB.
  const attachmentBytes = i % 5 === 0 ? 2_000 + ((i * 7919) % 598_000) : 0;
  return fixtureMessage(i, {
    charset,
    attachmentBytes,
    replyTo: i % 3 === 2 ? i - 1 : undefined,
    tag: 'bench',
    date: new Date(Date.now() - (N - i) * 60_000),
  });
}

/** What the import needs to know of the Dovecot the parent started. */
type ServerRef = Pick<DovecotInstance, 'imapsPort' | 'certPem'>;

async function imapSession<T>(d: ServerRef, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: d.imapsPort,
    secure: true,
    tls: { ca: [d.certPem] },
    auth: { user: USER, pass: PASS },
    logger: false,
    disableAutoIdle: true,
  });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

async function fill(d: DovecotInstance): Promise<number> {
  let bytes = 0;
  await imapSession(d, async (c) => {
    // 20 APPENDs queued at a time: imapflow sends them back to back, UIDs still follow i.
    for (let start = 0; start < N; start += 20) {
      const appends: Array<Promise<unknown>> = [];
      for (let i = start; i < Math.min(N, start + 20); i++) {
        const raw = message(i);
        bytes += raw.length;
        appends.push(c.append('INBOX', raw, i % 4 === 0 ? ['\\Seen'] : []));
      }
      await Promise.all(appends);
    }
  });
  return bytes;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 500)}`))));
  });
}

async function startProfiler(): Promise<{ stop: () => Promise<unknown> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      return profile;
    },
  };
}

/** How the machine's CPU was shared during a phase: "node 19.4 s, postgres 3.1 s, imap 2.0 s". */
const cpuShares: string[] = [];
function noteCpu(label: string, before: Map<string, number>): void {
  const rows = cpuBetween(before, cpuByCommand());
  cpuShares.push(`${label}: ${rows.map(([comm, s]) => `${comm} ${s.toFixed(1)} s`).join(', ')}`);
}

async function mbsync(d: DovecotInstance, work: string): Promise<number> {
  const rc = await writeMbsyncConfig(
    work,
    { imapsPort: d.imapsPort, certPem: d.certPem, user: USER, password: PASS },
    { stateDir: path.join(work, 'state') },
  );
  const cpuBefore = cpuByCommand();
  const t = performance.now();
  await run('mbsync', ['-q', '-c', rc, 'bench']);
  const seconds = (performance.now() - t) / 1000;
  noteCpu('CPU during mbsync (mbsync itself is counted in node: the bench process that started it)', cpuBefore);
  return seconds;
}

/** RSS of this process (worker threads included: they share it), sampled every 100 ms. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Starts VmHWM again from the current RSS (Linux clear_refs "5"), so the peak is the import's, not
 * the start-up's (migrations, opening the database), as on a server started long before any mailbox
 * is bound.
 */
async function resetPeakRss(): Promise<void> {
  await fs.writeFile('/proc/self/clear_refs', '5');
}

interface ImportResult {
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  p50: number;
  p95: number;
  cpuShares: string[];
}

/** Peak resident memory of this process since it started or since resetPeakRss (Linux VmHWM), in bytes. */
async function peakRssSoFar(): Promise<number> {
  const status = await fs.readFile('/proc/self/status', 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

async function tidings(d: ServerRef, kind: string, work: string): Promise<ImportResult> {
  const dataDir = path.join(work, `tidings-${kind}`);
  await fs.mkdir(dataDir, { recursive: true });
  const pg = kind === 'postgres' ? await createPostgresDatabase() : null;
  const opened: Db = await openDatabase({ databaseUrl: pg?.url ?? null, dataDir, pgliteDir: path.join(dataDir, 'pglite') });
  const db = opened.db;
  const blobTarget = parseBlobUrl(process.env.BENCH_BLOB_URL);
  const stores = openBlobStores(db, dataDir, blobTarget);
  const pool = createIngestPool({
    ...(WORKERS ? { size: WORKERS } : {}),
    ...(DEPTH ? { depth: DEPTH } : {}),
    ...(blobTarget.kind === 'disk' ? { blobDir: stores.diskRoot } : {}),
  }); // as the server does
  await pool.warm(); // as in a server already syncing other mailboxes
  try {
    await migrateToLatest(db);
    const master = await loadMasterKey({ envKey: 'bench-master-key-0123456789abcdef', dataDir, create: false });
    const vault = await Vault.open(db, master!, dataDir);
    await insertServerMailbox(db, vault, d, { ownerUserId: await insertUser(db), email: USER, password: PASS });
    const events = createEventBus();
    let created = 0;
    const arrivals = new Map<string, () => void>();
    let firstAt = 0;
    events.on('message.created', ({ messageId }) => {
      created++;
      if (created === 1) firstAt = performance.now();
      arrivals.get('any')?.();
      void messageId;
    });
    const startupPeak = await peakRssSoFar();
    await resetPeakRss();
    const rss = rssSampler();
    console.log(
      `${kind}: RSS when the import starts ${(process.memoryUsage().rss / MB).toFixed(0)} MB (heap ${(process.memoryUsage().heapUsed / MB).toFixed(0)} MB); peak RSS before it (start-up, migrations, creating the database) ${(startupPeak / MB).toFixed(0)} MB`,
    );
    const cpu0 = process.cpuUsage();
    const machineCpu0 = cpuByCommand();
    const threadCpu0 = cpuByThread();
    const profiler = PROFILE ? await startProfiler() : null;
    const perf = PERF ? spawn('perf', ['record', '-F', '999', '-g', '-p', String(process.pid), '-o', PERF], { stdio: 'ignore' }) : null;
    if (perf) await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    const done = new Promise<void>((resolve) => arrivals.set('any', () => created >= N && resolve()));
    const supervisor = createSyncSupervisor({
      db,
      log: createLogger('warn'),
      events,
      pool,
      blobs: stores.blobs,
      connectorFor: mailConnectorFactory({ vault, checkHost: syncHostChecker({ db, settings: LOCAL_DOVECOT }) }),
      discoverMs: 1_000,
    });
    supervisor.start();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    // Connecting, listing the folder and the first batch, against the steady rate after it.
    console.log(
      `${kind}: first message stored after ${((firstAt - t0) / 1000).toFixed(2)} s, then ${((N - 1) / ((performance.now() - firstAt) / 1000)).toFixed(0)} messages/s`,
    );
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6; // this process: main thread and parse workers
    noteCpu(`CPU during the import on ${kind} (node is Tidings)`, machineCpu0);
    const threads = cpuBetween(threadCpu0, cpuByThread(), 0.05);
    cpuShares.push(`  Tidings' threads: ${threads.map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ')}`);
    if (profiler) await fs.writeFile(PROFILE, JSON.stringify(await profiler.stop()));
    if (perf) {
      const exited = new Promise((r) => perf.on('exit', r));
      perf.kill('SIGINT');
      await exited;
    }
    const peakRss = Math.max(rss.stop(), await peakRssSoFar());
    // --node-options --expose-gc: what the import left behind, after a full collection (growth with N
    // means something keeps per-message state).
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      const m = process.memoryUsage();
      console.log(
        `${kind}: after the import and a full collection: heap used ${(m.heapUsed / MB).toFixed(1)} MB, external ${(m.external / MB).toFixed(1)} MB (array buffers ${(m.arrayBuffers / MB).toFixed(1)} MB), RSS ${(m.rss / MB).toFixed(0)} MB`,
      );
      if (process.argv.includes('--heap-snapshot'))
        console.log(
          `heap snapshot: ${(await import('node:v8')).writeHeapSnapshot(path.join(os.tmpdir(), `tidings-bench-${kind}.heapsnapshot`))}`,
        );
    }
    // Every message stored and readable.
    const stored = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(stored.n) !== N) console.log(`warning: ${stored.n} messages stored, expected ${N}`);

    // New-mail latency: APPEND on a second session, time until the row is committed (the event follows the commit).
    const latencies: number[] = [];
    await new Promise((r) => setTimeout(r, 1_000));
    const latencyProfiler = PROFILE_LATENCY ? await startProfiler() : null;
    await imapSession(d, async (c) => {
      for (let s = 0; s < SAMPLES; s++) {
        const wait = new Promise<void>((resolve) => arrivals.set('any', resolve));
        const t = performance.now();
        await c.append('INBOX', fixtureMessage(100_000 + s, { tag: `lat-${kind}` }));
        await wait;
        latencies.push(performance.now() - t);
      }
    });
    if (latencyProfiler) await fs.writeFile(PROFILE_LATENCY, JSON.stringify(await latencyProfiler.stop()));
    await supervisor.stop();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    return { seconds, cpuSeconds, peakRss, p50: pct(50), p95: pct(95), cpuShares };
  } finally {
    await pool.close();
    await opened.close();
    await pg?.drop();
  }
}

/**
 * Each import runs in a fresh Node process, as a Tidings server would: its peak RSS and CPU are then
 * Tidings' own, not inflated by the 400 MB of messages this process generated to fill the mailbox.
 */
// --from-source: the import process runs the TypeScript sources through tsx instead of built JavaScript.
const FROM_SOURCE = process.argv.includes('--from-source');

/** This file and the server's runtime modules built as `npm start` runs them (bin/server-build.js). */
async function builtChild(): Promise<string> {
  const { buildServer, root } = await import('../bin/server-build.js');
  const outdir = path.join(root, 'dist', 'bench');
  await buildServer(outdir, { 'sync-bench': fileURLToPath(import.meta.url) });
  return path.join(outdir, 'sync-bench.js');
}

/**
 * The V8 flags `npm start` gives the server (bin/node-flags.js), then any asked for: --trace-gc (V8's line
 * per garbage collection, per isolate) and --node-options "FLAGS" (to try GC settings).
 */
function childFlags(): string[] {
  return [
    ...NODE_FLAGS,
    ...(process.argv.includes('--trace-gc') ? ['--trace-gc'] : []),
    ...arg('node-options', '').split(' ').filter(Boolean),
  ];
}

/** The environment `npm start` gives the server (bin/node-flags.js); --malloc off leaves glibc's defaults, --malloc T sets GLIBC_TUNABLES=T. */
function childEnv(): Record<string, string> {
  const malloc = arg('malloc', '');
  if (malloc === 'off') return {};
  return malloc ? { ...NODE_ENV, GLIBC_TUNABLES: malloc } : NODE_ENV;
}

async function importInChild(d: ServerRef, kind: string, work: string): Promise<ImportResult> {
  const args = [...childFlags(), ...(FROM_SOURCE ? ['--import', 'tsx', fileURLToPath(import.meta.url)] : [await builtChild()])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.BENCH_NODE ?? process.execPath, [...args, ...process.argv.slice(2), '--child'], {
      env: { ...process.env, ...childEnv(), BENCH_CHILD: JSON.stringify({ imapsPort: d.imapsPort, certPem: d.certPem, kind, work }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      process.stdout.write(
        out
          .split('\n')
          .filter((l) => l && !l.startsWith('BENCH_RESULT '))
          .map((l) => `${l}\n`)
          .join(''),
      );
      if (code !== 0 || !line) reject(new Error(`import process exited with ${code}`));
      else resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as ImportResult);
    });
  });
}

if (process.argv.includes('--child')) {
  const { imapsPort, certPem, kind, work } = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ServerRef & { kind: string; work: string };
  const result = await tidings({ imapsPort, certPem }, kind, work);
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-bench-'));
const s3 = BLOB_ARG === 's3rver' ? await startS3() : null;
if (BLOB_ARG) process.env.BENCH_BLOB_URL = s3 ? s3.blobUrl('bench') : BLOB_ARG;
const d = await startDovecot();
try {
  await d.addUser(USER, PASS);
  const t = performance.now();
  const bytes = await fill(d);
  console.log(`filled ${N} messages (${(bytes / MB).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const mb = await mbsync(d, work);
  const rows = [
    `| run | seconds | messages/s | MB/s | speed vs mbsync | CPU s (Tidings process) | peak RSS MB | new mail p50 ms | p95 ms |`,
    `|---|---|---|---|---|---|---|---|---|`,
  ];
  rows.push(`| mbsync (isync) | ${mb.toFixed(2)} | ${(N / mb).toFixed(0)} | ${(bytes / MB / mb).toFixed(1)} | 1.00× | – | – | – | – |`);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const productLines: string[] = [];
  for (const kind of DBS) {
    if (PATHS.includes('product')) {
      const pg = kind === 'postgres' ? await createPostgresDatabase() : null;
      try {
        const r = await productPathImport({
          kind: kind as 'postgres' | 'pglite',
          databaseUrl: pg?.url ?? null,
          work,
          imapsPort: d.imapsPort,
          certPem: d.certPem,
          user: USER,
          password: PASS,
          expected: N,
          companyDomain: 'example.org',
        });
        rows.push(
          `| product path on ${kind}: bind → stored and linked | ${r.seconds.toFixed(2)} | ${(N / r.seconds).toFixed(0)} | ${(bytes / MB / r.seconds).toFixed(1)} | ${(mb / r.seconds).toFixed(2)}× | ${r.phases.reduce((sum, p) => sum + p.tidingsCpu, 0).toFixed(1)} | – | – | – |`,
        );
        productLines.push(
          `${kind}: bind answered after ${r.bindAnsweredAfter.toFixed(2)} s, first message stored ${r.firstStoredAfterAnswer.toFixed(2)} s after the answer, all stored after ${r.allStoredAfter.toFixed(2)} s, all linked after ${r.seconds.toFixed(2)} s`,
        );
        productLines.push(...describePhases(kind, r));
      } finally {
        await pg?.drop();
      }
    }
    if (PATHS.includes('engine')) {
      const r = await importInChild(d, kind, work);
      cpuShares.push(...r.cpuShares);
      rows.push(
        `| engine alone on ${kind} | ${r.seconds.toFixed(2)} | ${(N / r.seconds).toFixed(0)} | ${(bytes / MB / r.seconds).toFixed(1)} | ${(mb / r.seconds).toFixed(2)}× | ${r.cpuSeconds.toFixed(1)} | ${(r.peakRss / MB).toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} |`,
      );
      // The same messages from the EWS harness (Exchange Server), in this process (its blobs on disk).
      if (BLOB_ARG) continue;
      const ews = await ewsEngineImport({ kind, work, messages: Array.from({ length: N }, (_, i) => message(i)) });
      rows.push(
        `| EWS engine on ${kind} (harness, NTLM) | ${ews.seconds.toFixed(2)} | ${(N / ews.seconds).toFixed(0)} | ${(ews.bytes / MB / ews.seconds).toFixed(1)} | ${(mb / ews.seconds).toFixed(2)}× | – | – | – | – |`,
      );
    }
    if (GRAPH) {
      const g = await graphImport({ kind: kind as 'postgres' | 'pglite', n: N, work, message });
      rows.push(
        `| engine over Microsoft Graph on ${kind} (harness in-process, ${g.requests} requests, max ${g.maxInFlight} in flight) | ${g.seconds.toFixed(2)} | ${(N / g.seconds).toFixed(0)} | ${(bytes / MB / g.seconds).toFixed(1)} | ${(mb / g.seconds).toFixed(2)}× | – | – | – | – |`,
      );
    }
  }
  console.log(
    `\nN = ${N}, ${os.cpus().length} cores, Node ${process.version}, load average before the imports ${load}, after ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`import process: node ${childFlags().join(' ')}, GLIBC_TUNABLES=${childEnv().GLIBC_TUNABLES ?? '(glibc defaults)'}\n`);
  console.log(rows.join('\n'));
  if (productLines.length) console.log(`\nThe product path (a started server, CPU per phase):\n${productLines.join('\n')}`);
  console.log(`\n${cpuShares.join('\n')}`);
} finally {
  await d.stop();
  await s3?.stop();
  await fs.rm(work, { recursive: true, force: true });
}
