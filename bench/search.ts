/**
 * Search benchmark (prints only). Fills a fresh database with synthetic mail straight through SQL
 * (generate_series), then runs a mix of searches through the same function the API uses and prints
 * p50/p95 per query type and overall.
 *
 *   npm run bench:search                      # PostgreSQL server, 100k messages
 *   npm run bench:search -- --db pglite       # embedded PGlite, 20k messages
 *   options: --n MESSAGES --runs N --keep           # TIDINGS_BENCH_POSTGRES_URL (default: the test server)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { freshBenchDatabase, percentile, insertBenchMailbox } from './bench-database.ts';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { parseQuery, searchEmails, type EmailFilters } from '../src/search/index.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    n: { type: 'string' },
    runs: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});
const kind = values.db === 'pglite' ? 'pglite' : 'postgres';
const N = Number(values.n ?? (kind === 'pglite' ? 20_000 : 100_000));
const RUNS = Number(values.runs);

const EN = [
  'invoice',
  'contract',
  'meeting',
  'quarterly',
  'shipment',
  'payment',
  'proposal',
  'renewal',
  'discount',
  'delivery',
  'schedule',
  'budget',
  'forecast',
  'pricing',
  'support',
  'warranty',
  'customs',
  'logistics',
  'samples',
  'factory',
  'quality',
  'inspection',
  'deposit',
  'balance',
  'order',
  'purchase',
  'catalogue',
  'exhibition',
  'agenda',
  'minutes',
  'report',
  'summary',
  'review',
  'approval',
  'signature',
  'draft',
  'update',
  'reminder',
  'follow',
  'question',
  'answer',
  'request',
  'quotation',
  'tender',
  'bid',
  'partner',
  'distributor',
  'agent',
  'market',
  'launch',
  'product',
  'feature',
  'release',
  'issue',
  'ticket',
  'refund',
  'credit',
  'account',
  'statement',
  'audit',
];
const ZH = [
  '合同',
  '报价',
  '发票',
  '付款',
  '发货',
  '会议纪要',
  '本季度报价单',
  '样品',
  '工厂',
  '质量检验',
  '订金',
  '尾款',
  '订单',
  '采购',
  '展会',
  '议程',
  '报告',
  '总结',
  '审批',
  '签字',
  '草稿',
  '更新',
  '提醒',
  '跟进',
  '问题',
  '答复',
  '请求',
  '招标',
  '投标',
  '合作伙伴',
  '经销商',
  '代理',
  '市场',
  '发布',
  '产品',
  '功能',
  '退款',
  '信用',
  '对账单',
  '审计',
];

const pct = percentile;

async function main(): Promise<void> {
  const target = await freshBenchDatabase(kind);
  const opened = await openDatabase({ databaseUrl: target.url, dataDir: '/nonexistent', pgliteDir: 'memory://' });
  const db = opened.db;
  try {
    await migrateToLatest(db);
    const user = await db
      .insertInto('users')
      .values({ email: 'bench@ourco.com', name: 'Bench', role: 'admin', password_hash: 'x' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const mailbox = await insertBenchMailbox(db, user.id, 'me@ourco.com');

    const t0 = performance.now();
    const CHUNK = 10_000;
    for (let start = 1; start <= N; start += CHUNK) {
      const end = Math.min(N, start + CHUNK - 1);
      await sql`
        insert into messages (mailbox_id, subject, date, "from", "to", participants, text_body, snippet, raw_sha256, has_attachments, seen)
        select ${mailbox.id}::uuid, s.subject, now() - make_interval(mins => i), s.from_json, s.to_json, s.people, s.body, left(s.body, 100), md5(i::text), i % 10 = 0, i % 3 = 0
        from generate_series(${start}::int, ${end}::int) i
        cross join lateral (
          select
            en[1 + (i % 60)] || ' ' || zh[1 + ((i * 7) % 40)] || ' ' || en[1 + ((i * 11) % 60)] || ' #' || i as subject,
            jsonb_build_array(jsonb_build_object('name', '客户' || (i % 500), 'address', 'user' || (i % 500) || '@company' || (i % 50) || '.com')) as from_json,
            jsonb_build_array(jsonb_build_object('name', 'Me', 'address', 'me@ourco.com')) as to_json,
            array['user' || (i % 500) || '@company' || (i % 50) || '.com', 'me@ourco.com'] as people,
            (select string_agg(case when (i + k) % 2 = 0 then en[1 + ((i * 31 + k * 18) % 60)] || ' w' || ((i * 13 + k) % 5000) else zh[1 + ((i * 13 + k * 7) % 40)] || zh[1 + ((i + k * 3) % 40)] end, ' ')
             from generate_series(1, 14) k) as body
          from (select ${EN}::text[] as en, ${ZH}::text[] as zh) v
        ) s`.execute(db);
    }
    await sql`analyze`.execute(db);
    const fillMs = performance.now() - t0;
    console.log(
      `${kind}: filled ${N} messages in ${(fillMs / 1000).toFixed(1)} s; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    const mix: Array<[string, string, EmailFilters]> = [
      ['english word', 'invoice', {}],
      ['english word (rare)', 'w4242', {}],
      ['english prefix', 'quar', {}],
      ['chinese 2-char', '合同', {}],
      ['chinese 4-char substring', '季度报价', {}],
      ['participant address', 'user42@company42.com', {}],
      ['word + filters', 'invoice', { after: new Date(Date.now() - 30 * 86_400_000), hasAttachments: true }],
      ['two words', 'contract 报价', {}],
      ['chinese 1-char', '报', {}],
    ];
    const all: number[] = [];
    console.log(`${'query'.padEnd(28)} ${'hits'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
    for (const [label, q, filters] of mix) {
      const terms = parseQuery(q);
      await searchEmails(db, user.id, terms, filters, 20); // warm-up
      const times: number[] = [];
      let hits = 0;
      for (let r = 0; r < RUNS; r++) {
        const s = performance.now();
        hits = (await searchEmails(db, user.id, terms, filters, 20)).length;
        times.push(performance.now() - s);
      }
      all.push(...times);
      console.log(
        `${label.padEnd(28)} ${String(hits).padStart(5)} ${pct(times, 50).toFixed(1).padStart(8)} ${pct(times, 95).toFixed(1).padStart(8)}`,
      );
    }
    console.log(`${'overall'.padEnd(28)} ${''.padStart(5)} ${pct(all, 50).toFixed(1).padStart(8)} ${pct(all, 95).toFixed(1).padStart(8)}`);
    // This machine may be shared: the load says how much the figures above can be trusted.
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
