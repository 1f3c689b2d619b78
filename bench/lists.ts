/**
 * Lists benchmark (prints only). Fills a fresh PostgreSQL database with synthetic mail (bench/lists-fill.ts),
 * then runs every list the mail reader and the CRM show through the same functions the API uses: the
 * unified list and a folder with their filters, a thread, contact and company timelines, the dashboard;
 * each as the admin and as a member who sees less, first page and a deep page (older than the middle of
 * the mail's time span, through the cursor). Prints p50/p95 per query type.
 *
 *   npm run bench:lists                               # PostgreSQL server, 1M messages
 *   npm run bench:lists -- --n 200000 --runs 10
 *   options: --n MESSAGES --runs N --keep --only SUBSTRING --url URL (reuse a kept database, no fill)
 *            --explain (with --only: EXPLAIN (ANALYZE, BUFFERS) of each statement those query types run)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { freshBenchDatabase, percentile } from './bench-database.ts';
import { fillLists, loadWorld, type BenchWorld } from './lists-fill.ts';
import type { User } from '../src/auth/tables.ts';
import { buildDashboard } from '../src/dashboard/index.ts';
import { migrateToLatest, openDatabase, type Database } from '../src/db/index.ts';
import { listMessages, type ListFilters } from '../src/store/message-queries.ts';
import { presentMessagePage } from '../src/store/presenters.ts';
import { readRecordTimeline } from '../src/timeline/index.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    url: { type: 'string' },
    explain: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const RUNS = Number(values.runs);

interface QueryType {
  name: string;
  run(cursor: string | undefined): Promise<unknown>;
  /** The cursor of a page older than the middle of the mail's span; none for lists that are one page. */
  deep?: string;
}

// The cursors' own shapes (src/store/message-queries.ts, src/timeline/timeline.ts): a position, not a row.
const listCursor = (at: Date) =>
  Buffer.from(JSON.stringify({ d: at.toISOString(), i: 'ffffffff-ffff-ffff-ffff-ffffffffffff' })).toString('base64url');
const timelineCursor = (at: Date) =>
  Buffer.from(JSON.stringify([at.toISOString(), 'ffffffff-ffff-ffff-ffff-ffffffffffff'])).toString('base64url');

function queryTypes(db: Kysely<Database>, w: BenchWorld): QueryType[] {
  const middle = new Date((w.oldest.getTime() + w.newest.getTime()) / 2);
  const readers = [
    ['admin', w.admin.id],
    ['member', w.member.id],
  ] as const;
  const out: QueryType[] = [];
  const list = (name: string, userId: string, f: Omit<ListFilters, 'limit'>) =>
    out.push({
      name,
      run: async (cursor) => presentMessagePage(await listMessages(db, userId, { ...f, cursor, limit: 50 })),
      deep: listCursor(middle),
    });
  for (const [who, id] of readers) {
    const own = who === 'admin' ? w.mailboxes[0]!.id : w.mailboxes[7]!.id;
    list(`unified ${who}`, id, { withoutBinned: true });
    list(`unified unread ${who}`, id, { withoutBinned: true, unread: true });
    list(`unified attachments ${who}`, id, { withoutBinned: true, hasAttachments: true });
    list(`unified label ${who}`, id, { withoutBinned: true, label: 'vip' });
    list(`one mailbox ${who}`, id, { withoutBinned: true, mailboxId: own });
    list(`all mail ${who}`, id, {});
  }
  list('folder admin', w.admin.id, { folderId: w.inboxId });
  list('folder unread admin', w.admin.id, { folderId: w.inboxId, unread: true });
  list('folder attachments admin', w.admin.id, { folderId: w.inboxId, hasAttachments: true });
  list('thread admin', w.admin.id, { threadId: w.adminThreadId });
  list('thread member', w.member.id, { threadId: w.memberThreadId });
  for (const [who, id] of readers) {
    for (const [label, of] of [
      ['contact', { kind: 'contact', id: w.contactId }],
      ['hot contact', { kind: 'contact', id: w.hotContactId }],
      ['company', { kind: 'company', id: w.companyId }],
      ['hot company', { kind: 'company', id: w.hotCompanyId }],
    ] as const) {
      out.push({
        name: `timeline ${label} ${who}`,
        run: (cursor) => readRecordTimeline(db, id, of, { cursor, limit: 50 }),
        deep: timelineCursor(middle),
      });
    }
  }
  for (const [who, id] of readers) {
    for (const scope of ['me', 'team'] as const) {
      out.push({
        name: `dashboard ${scope} ${who}`,
        run: async () => {
          const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          return buildDashboard(db, user as User, scope, 48);
        },
      });
    }
  }
  return out;
}

async function timeRuns(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    await run();
    times.push(performance.now() - s);
  }
  return times;
}

/** Runs each query type once on a logging connection, then prints the plan of every statement it sent. */
async function explain(url: string, types: QueryType[], world: BenchWorld): Promise<void> {
  const sent: CompiledQuery[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const logged = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => void sent.push(e.query) });
  try {
    for (const q of queryTypes(logged, world)) {
      if (!types.some((t) => t.name === q.name)) continue;
      for (const [page, cursor] of [['first', undefined], ...(q.deep ? [['deep', q.deep]] : [])] as const) {
        sent.length = 0;
        await q.run(cursor);
        for (const s of [...sent]) {
          if (!/^\s*(with|select)/i.test(s.sql)) continue;
          const plan = await pool.query(`explain (analyze, buffers) ${s.sql}`, s.parameters as unknown[]);
          console.log(`\n### ${q.name} (${page})\n${s.sql}\n${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
        }
      }
    }
  } finally {
    await logged.destroy();
  }
}

async function main(): Promise<void> {
  const target: { url: string | null; drop(): Promise<void> } = values.url
    ? { url: values.url, drop: async () => undefined }
    : await freshBenchDatabase('postgres');
  const opened = await openDatabase({ databaseUrl: target.url, dataDir: '/nonexistent', pgliteDir: 'memory://' });
  const db = opened.db;
  try {
    await migrateToLatest(db);
    let world: BenchWorld;
    if (values.url) world = await loadWorld(db);
    else {
      const t0 = performance.now();
      world = await fillLists(db, N, console.log);
      console.log(`filled ${N} messages in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    await sql`analyze`.execute(db);
    if (values.explain) {
      await explain(
        target.url!,
        queryTypes(db, world).filter((q) => !values.only || q.name.includes(values.only)),
        world,
      );
      return;
    }
    const avg = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(`load average ${avg()}; ${RUNS} runs each after one warm-up, limit 50`);
    console.log(`${'query type'.padEnd(32)} ${'page'.padEnd(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
    const all: number[] = [];
    for (const q of queryTypes(db, world)) {
      if (values.only && !q.name.includes(values.only)) continue;
      for (const [page, cursor] of [['first', undefined], ...(q.deep ? [['deep', q.deep]] : [])] as const) {
        const times = await timeRuns(() => q.run(cursor));
        all.push(...times);
        console.log(
          `${q.name.padEnd(32)} ${page.padEnd(6)} ${percentile(times, 50).toFixed(1).padStart(8)} ${percentile(times, 95).toFixed(1).padStart(8)}`,
        );
      }
    }
    if (all.length)
      console.log(
        `${'overall'.padEnd(32)} ${''.padEnd(6)} ${percentile(all, 50).toFixed(1).padStart(8)} ${percentile(all, 95).toFixed(1).padStart(8)}`,
      );
    console.log(`load average ${avg()}`);
  } finally {
    await opened.close();
    if (values.keep || values.url) console.log(`kept ${target.url}`);
    else await target.drop();
  }
}

await main();
