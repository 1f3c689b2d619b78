/**
 * Analytics benchmark (prints only). Fills a fresh database with synthetic mail straight through SQL
 * (generate_series: threads of four messages, three in and one reply out, linked to 500 contacts of 50
 * companies), then the analytics rollups by the migration's backfill, deals and purchases, then runs every chart of the dashboard through the same functions the
 * API uses, over the last 90 days and the last year, and prints p50/p95 per chart.
 *
 *   npm run bench:analytics                         # PostgreSQL server, 1M messages
 *   npm run bench:analytics -- --n 200000 --runs 10
 *   npm run bench:analytics -- --db pglite --n 20000
 *   options: --n MESSAGES --runs N --keep           # TIDINGS_BENCH_POSTGRES_URL (default: the test server)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { freshBenchDatabase, percentile, insertBenchMailbox } from './bench-database.ts';
import { CHART_NAMES, chartNamed, resolveScope } from '../src/analytics/index.ts';
import type { User } from '../src/auth/tables.ts';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    n: { type: 'string' },
    runs: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const kind = values.db === 'pglite' ? 'pglite' : 'postgres';
const N = Number(values.n ?? (kind === 'pglite' ? 20_000 : 1_000_000));
const RUNS = Number(values.runs);

const pct = percentile;
const day = (d: Date) => d.toISOString().slice(0, 10);

async function main(): Promise<void> {
  const target = await freshBenchDatabase(kind);
  const opened = await openDatabase({ databaseUrl: target.url, dataDir: '/nonexistent', pgliteDir: 'memory://' });
  const db = opened.db;
  try {
    await migrateToLatest(db);
    const user = await db
      .insertInto('users')
      .values({ email: 'bench@ourco.com', name: 'Bench', role: 'admin', password_hash: 'x', team: 'Sales' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const mailbox = await insertBenchMailbox(db, user.id, 'me@ourco.com');

    const t0 = performance.now();
    await sql`insert into companies (name, owner_user_id) select 'Company ' || c, ${user.id}::uuid from generate_series(0, 49) c`.execute(
      db,
    );
    await sql`insert into company_domains (domain, company_id) select 'company' || substr(name, 9) || '.com', id from companies`.execute(
      db,
    );
    await sql`insert into contacts (name, owner_user_id, company_id)
      select '客户' || u, ${user.id}::uuid, (select id from companies where name = 'Company ' || (u % 50)) from generate_series(0, 499) u`.execute(
      db,
    );
    await sql`insert into contact_emails (contact_id, address, is_primary)
      select id, 'user' || substr(name, 3) || '@company' || (substr(name, 3)::int % 50) || '.com', true from contacts`.execute(db);
    const CHUNK = 20_000;
    // The rollup triggers (migration 2026-12-11-050) refresh a message's facts on each statement that touches
    // it; the seed inserts messages, then contact links, then company links, so it turns them off and runs the
    // backfill once at the end. The second chunk is stored with them on, to print what they cost an import.
    // Only the rollup triggers: the others keep columns the lists read (message_links.message_at).
    const triggers = async (on: boolean) => {
      const { rows } = await sql<{ tbl: string; name: string }>`
        select c.relname as tbl, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where c.relname in ('messages', 'message_links') and t.tgname like 'mail\_facts\_%'`.execute(db);
      for (const r of rows) {
        await sql`alter table ${sql.table(r.tbl)} ${sql.raw(on ? 'enable' : 'disable')} trigger ${sql.id(r.name)}`.execute(db);
      }
    };
    await triggers(false);
    const chunkSeconds: number[] = [];
    for (let start = 0; start < N; start += CHUNK) {
      const end = Math.min(N, start + CHUNK) - 1;
      const measured = start / CHUNK === 1;
      if (measured) await triggers(true);
      const c0 = performance.now();
      // Four messages a thread, a minute apart in time order i: three from the customer, then our reply.
      await sql`
        insert into threads (mailbox_id, thread_key, subject)
        select ${mailbox.id}::uuid, 't' || t, 'Thread ' || t from generate_series(${start / 4}::int, ${Math.floor(end / 4)}::int) t
        on conflict do nothing`.execute(db);
      await sql`
        insert into messages (mailbox_id, thread_id, subject, date, "from", "to", participants, snippet, raw_sha256, answered)
        select ${mailbox.id}::uuid, th.id, 'Thread ' || (i / 4), now() - make_interval(mins => ${N} - i),
          jsonb_build_array(jsonb_build_object('address', case when i % 4 = 3 then 'me@ourco.com' else s.customer end)),
          jsonb_build_array(jsonb_build_object('address', case when i % 4 = 3 then s.customer else 'me@ourco.com' end)),
          array[s.customer, 'me@ourco.com'], '', md5(i::text), i % 4 = 2 and i % 12 <> 2
        from generate_series(${start}::int, ${end}::int) i
        cross join lateral (select 'user' || ((i / 4) % 500) || '@company' || (((i / 4) % 500) % 50) || '.com' as customer) s
        join threads th on th.mailbox_id = ${mailbox.id}::uuid and th.thread_key = 't' || (i / 4)`.execute(db);
      if (start / CHUNK < 2) chunkSeconds.push((performance.now() - c0) / 1000);
      if (measured) await triggers(false);
    }
    await sql`insert into message_links (message_id, contact_id, role)
      select m.id, ce.contact_id, 'from' from messages m join contact_emails ce on ce.address = m.participants[1]`.execute(db);
    await sql`insert into message_links (message_id, company_id, role)
      select m.id, cd.company_id, 'from' from messages m join company_domains cd on cd.domain = split_part(m.participants[1], '@', 2)`.execute(
      db,
    );
    await sql`insert into deals (name, amount, currency, stage_id, owner_user_id, status, lost_reason, closed_at, created_at, expected_close_date)
      select 'Deal ' || d, (d % 97) * 1000, case when d % 5 = 0 then 'USD' else 'CNY' end, s.id, ${user.id}::uuid, s.kind, case when s.kind = 'lost' then 'price' end,
        case when s.kind = 'open' then null else now() - make_interval(days => d % 300) end,
        now() - make_interval(days => d % 400), (now() + make_interval(days => d % 200))::date
      from generate_series(1, 5000) d
      join lateral (select id, kind from pipeline_stages order by position offset (d % 6) limit 1) s on true`.execute(db);
    await sql`insert into purchases (company_id, purchased_on, items, amount, currency, owner_user_id)
      select (select id from companies where name = 'Company ' || (p % 50)), (now() - make_interval(days => p % 700))::date, '[]',
        (p % 89) * 10, 'CNY', ${user.id}::uuid
      from generate_series(1, 50000) p`.execute(db);
    await triggers(true);
    const b0 = performance.now();
    for (;;) {
      const slice = await sql<{ n: number }>`
        with slice as (
          select m.id from messages m where not exists (select 1 from mail_facts f where f.message_id = m.id) limit 20000
        ) select cardinality(array(select id from slice)) as n, tidings_refresh_mail_facts(array(select id from slice))`.execute(db);
      if (!Number(slice.rows[0]?.n)) break;
    }
    const backfill = (performance.now() - b0) / 1000;
    await sql`analyze`.execute(db);
    console.log(
      `${kind}: filled ${N} messages, 5000 deals, 50000 purchases in ${((performance.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    if (chunkSeconds.length === 2) {
      console.log(
        `import cost: ${CHUNK} messages in one statement took ${chunkSeconds[0]!.toFixed(2)} s without the rollup triggers, ${chunkSeconds[1]!.toFixed(2)} s with them; backfill of ${N} messages (facts and rollups) ${backfill.toFixed(1)} s`,
      );
    }

    const now = new Date();
    const ranges = [
      { label: '90 days', from: day(new Date(now.getTime() - 89 * 86_400_000)) },
      { label: '1 year', from: day(new Date(now.getTime() - 364 * 86_400_000)) },
    ];
    console.log(`${'chart'.padEnd(22)} ${'range'.padEnd(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
    const all: number[] = [];
    for (const range of ranges) {
      const filters = { from: range.from, to: day(now), timeZone: 'Asia/Shanghai', ownerId: undefined, team: undefined };
      for (const name of CHART_NAMES) {
        const chart = chartNamed(name);
        const once = async () => chart.run(db, await resolveScope(db, user as User, filters), now);
        await once(); // warm-up
        const times: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const s = performance.now();
          await once();
          times.push(performance.now() - s);
        }
        all.push(...times);
        console.log(
          `${name.padEnd(22)} ${range.label.padEnd(8)} ${pct(times, 50).toFixed(1).padStart(8)} ${pct(times, 95).toFixed(1).padStart(8)}`,
        );
      }
    }
    console.log(`${'overall'.padEnd(22)} ${''.padEnd(8)} ${pct(all, 50).toFixed(1).padStart(8)} ${pct(all, 95).toFixed(1).padStart(8)}`);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await opened.close();
    if (values.keep) console.log(`kept ${target.url}`);
    else await target.drop();
  }
}

await main();
