import { type Kysely, sql } from 'kysely';

/**
 * Implausible Date headers (src/ingest/plausible-date.ts): messages.date becomes the date a message sorts
 * by, the header's when it is believable and the server's received date when not; the header's own date
 * and the received date are kept beside it. Rows stored before this kept no received date: the best
 * stand-in is when Tidings stored them (created_at, never earlier than the server received them), so a
 * stored date more than a day after that, or before 1990, is moved to it. Those rows keep their header
 * date in header_date, and their threads' last_message_at follows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table messages add column header_date timestamptz, add column received_at timestamptz`.execute(db);
  await sql`update messages set header_date = date where date is not null`.execute(db);
  const moved = await sql<{ thread_id: string | null }>`
    update messages set date = created_at
    where date > created_at + interval '1 day' or (date < '1990-01-01T00:00:00Z' and created_at >= '1990-01-01T00:00:00Z')
    returning thread_id`.execute(db);
  const threads = [...new Set(moved.rows.map((r) => r.thread_id).filter((t): t is string => t !== null))];
  for (let i = 0; i < threads.length; i += 1000) {
    await sql`update threads t set last_message_at = (select max(m.date) from messages m where m.thread_id = t.id)
      where t.id = any(${threads.slice(i, i + 1000)}::uuid[])`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update messages set date = header_date where header_date is not null`.execute(db);
  await sql`alter table messages drop column received_at, drop column header_date`.execute(db);
}
