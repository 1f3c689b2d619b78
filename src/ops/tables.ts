import type { Database } from '../db/schema.ts';
import { sql, type Kysely, type Transaction } from 'kysely';

/** Kysely's own bookkeeping: each side's migrator writes it; it is compared, never copied. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export interface TableShape {
  name: string;
  /** Columns a row is written with: generated columns are left out (the target computes them). */
  columns: string[];
  /**
   * Foreign keys no table order can satisfy (to the table itself, or in a cycle such as a message and
   * the outbox row it was sent from): dropped while copying, added back (and so checked) after.
   */
  liftedKeys: Array<{ name: string; definition: string }>;
}

type AnyDb = Kysely<Database> | Transaction<Database>;

/** Every Tidings table, parents before the tables that reference them, so rows can be written in this order. */
export async function tablesInDependencyOrder(db: AnyDb): Promise<TableShape[]> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by c.relname`.execute(db);
  const columns = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    order by c.relname, a.attnum`.execute(db);
  const keys = await sql<{ name: string; table: string; parent: string; definition: string }>`
    select k.conname as name, c.relname as table, p.relname as parent, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`.execute(db);

  const names = tables.rows.map((t) => t.name).filter((n) => !MIGRATION_TABLES.includes(n));
  const ordered: string[] = [];
  const placed = new Set<string>();
  const lifted = new Set<string>();
  const waitingOn = (n: string) =>
    keys.rows.filter((k) => k.table === n && !lifted.has(k.name) && k.parent !== n && names.includes(k.parent) && !placed.has(k.parent));
  for (const k of keys.rows) if (k.table === k.parent) lifted.add(k.name);
  while (ordered.length < names.length) {
    const left = names.filter((n) => !placed.has(n));
    let ready = left.filter((n) => waitingOn(n).length === 0);
    if (!ready.length) {
      // A cycle: the table waiting on the fewest others goes next, its keys to them lifted.
      const next = left.reduce((a, b) => (waitingOn(b).length < waitingOn(a).length ? b : a));
      for (const k of waitingOn(next)) lifted.add(k.name);
      ready = [next];
    }
    for (const n of ready) {
      placed.add(n);
      ordered.push(n);
    }
  }
  return ordered.map((name) => ({
    name,
    columns: columns.rows.filter((c) => c.table === name).map((c) => c.column),
    liftedKeys: keys.rows.filter((k) => k.table === name && lifted.has(k.name)).map((k) => ({ name: k.name, definition: k.definition })),
  }));
}

/** The migrations a database has run, in order. */
export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const exists = await sql<{ n: number }>`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relname = 'kysely_migration'`.execute(db);
  if (!exists.rows[0]?.n) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Whether a database holds nothing worth keeping: no tables, or migrated but never set up (no user, no mailbox). */
export async function isEmptyDatabase(db: AnyDb): Promise<boolean> {
  const tables = await sql<{ name: string }>`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'`.execute(db);
  const names = new Set(tables.rows.map((t) => t.name));
  if (!names.size) return true;
  if (!names.has('users') || !names.has('mailboxes')) return false;
  const used = await sql<{ n: number }>`select (select count(*) from users) + (select count(*) from mailboxes) as n`.execute(db);
  return Number(used.rows[0]?.n) === 0;
}

const ident = (name: string) => sql.id(name);

/**
 * Rows and a checksum of a table, both computed by the database: md5 of each row's JSON, sorted, hashed
 * together, so row order does not matter. Timestamps are rendered in UTC on both sides.
 */
export async function tableFingerprint(trx: Transaction<Database>, table: string): Promise<{ rows: number; checksum: string }> {
  await sql`set local time zone 'UTC'`.execute(trx);
  const res = await sql<{ rows: number; checksum: string | null }>`
    select count(*)::int as rows, md5(coalesce(string_agg(h, '' order by h), '')) as checksum
    from (select md5(row_to_json(t)::text) as h from ${ident(table)} t) rows_hashed`.execute(trx);
  return { rows: Number(res.rows[0]!.rows), checksum: res.rows[0]!.checksum ?? '' };
}

/**
 * Reads a table in batches through a cursor, each batch a JSON array text of its rows (row_to_json:
 * every type in its text form, so nothing is lost on the way through JavaScript).
 */
export async function* readTableBatches(
  trx: Transaction<Database>,
  table: TableShape,
  batchSize: number,
): AsyncGenerator<{ json: string; rows: number }> {
  await sql`set local time zone 'UTC'`.execute(trx);
  const cursor = `tidings_copy_${table.name}`;
  await sql`declare ${ident(cursor)} no scroll cursor for select row_to_json(t)::text as j from ${ident(table.name)} t`.execute(trx);
  try {
    for (;;) {
      const res = await sql<{ j: string }>`fetch forward ${sql.raw(String(batchSize))} from ${ident(cursor)}`.execute(trx);
      if (!res.rows.length) return;
      yield { json: `[${res.rows.map((r) => r.j).join(',')}]`, rows: res.rows.length };
    }
  } finally {
    await sql`close ${ident(cursor)}`.execute(trx);
  }
}

/** Writes one batch (a JSON array text from readTableBatches) into the same table of another database. */
export async function writeTableBatch(trx: Transaction<Database>, table: TableShape, json: string): Promise<void> {
  const cols = sql.join(table.columns.map(ident));
  // overriding system value: identity columns (webhook_deliveries.seq) keep the numbers they had.
  await sql`insert into ${ident(table.name)} (${cols}) overriding system value
    select ${cols} from json_populate_recordset(null::${ident(table.name)}, ${json}::json)`.execute(trx);
}

/**
 * Makes a fresh target ready for the rows: the migrations' seed rows go, the lifted keys are dropped, and
 * the tables' own triggers are off. Those triggers keep derived tables (mail_facts, mail_rollups, label keys,
 * link dates) in step with the mail; a copy writes the derived tables as they were, so a trigger firing on
 * the copied messages would count them twice.
 */
export async function prepareTarget(trx: Transaction<Database>, tables: TableShape[]): Promise<void> {
  await sql`set local time zone 'UTC'`.execute(trx);
  await sql`truncate ${sql.join(tables.map((t) => ident(t.name)))}`.execute(trx);
  for (const t of tables) {
    await sql`alter table ${ident(t.name)} disable trigger user`.execute(trx);
    for (const ref of t.liftedKeys) await sql`alter table ${ident(t.name)} drop constraint ${ident(ref.name)}`.execute(trx);
  }
}

/** Puts the lifted keys back (checked against every row), turns the triggers on, moves sequences past what was copied. */
export async function finishTarget(
  trx: Transaction<Database>,
  tables: TableShape[],
  sequences: Array<{ name: string; value: number | null }>,
): Promise<void> {
  for (const t of tables) {
    for (const ref of t.liftedKeys) {
      await sql`alter table ${ident(t.name)} add constraint ${ident(ref.name)} ${sql.raw(ref.definition)}`.execute(trx);
    }
    await sql`alter table ${ident(t.name)} enable trigger user`.execute(trx);
  }
  for (const s of sequences) {
    if (s.value === null) continue;
    await sql`select setval(${s.name}::regclass, ${s.value}, true)`.execute(trx);
  }
}

/** Every sequence's last value (null: never used), serial and identity ones alike. */
export async function sequenceValues(db: AnyDb): Promise<Array<{ name: string; value: number | null }>> {
  const res = await sql<{ name: string; value: string | null }>`
    select quote_ident(schemaname) || '.' || quote_ident(sequencename) as name, last_value::text as value
    from pg_sequences where schemaname = 'public' order by sequencename`.execute(db);
  return res.rows.map((r) => ({ name: r.name, value: r.value === null ? null : Number(r.value) }));
}
