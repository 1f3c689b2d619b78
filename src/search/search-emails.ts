import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MessageSummary } from '../store/message-schemas.ts';
import { presentSummary } from '../store/presenters.ts';
import { hasLabelsSql } from '../store/labels.ts';
import type { MessageRow, StoredAddress } from '../store/tables.ts';
import { blockedFor, notBlockedSql, readableMailboxes, type MailAccess } from '../store/visibility.ts';
import { attachmentCondition, RANK_WEIGHTS, rankQuery, textCondition } from './email-conditions.ts';
import { firstMatch, highlight } from './highlight.ts';
import type { SearchTerm } from './query-terms.ts';
import { compareMailKeys, type EmailCursor, type MailKey } from './search-cursor.ts';

export interface EmailFilters {
  mailboxId?: string;
  folderId?: string;
  from?: string;
  to?: string;
  after?: Date;
  before?: Date;
  hasAttachments?: boolean;
  unread?: boolean;
  /** Gmail labels (`label:` terms of the query), each matched by its key (labelKey); full readers only. */
  labels?: string[];
}

export interface EmailHit extends MessageSummary {
  rank: number;
  highlight: { field: 'subject' | 'body' | 'attachment' | 'participants'; html: string } | null;
}

export interface EmailPage {
  items: EmailHit[];
  /** Where the next page starts (EmailCursor, to be encoded by the caller), or null after the last. */
  next: EmailCursor | null;
}

/** How many of the newest matches are ranked together (one slice): ranking is bounded work however common a word is. */
const CANDIDATES = 120;
/** Re-reading a slice a cursor already bounded: room for mail stored into it since (old mail being imported). */
const SLICE_REREAD = CANDIDATES * 4;
/** A one-character CJK term scans at most this many of the newest visible messages. */
const ONE_CHAR_WINDOW = 2000;
/** Where the messages without a date begin (they sort after every dated one, by id descending). */
const UNDATED: MailKey = { d: null, i: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };

const addressLike = (col: string, value: string) =>
  sql<boolean>`exists (select 1 from jsonb_array_elements(${sql.ref(col)}) e where lower(e->>'address') like ${`%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`;

function filterConditions(f: EmailFilters): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (f.folderId)
    out.push(sql<boolean>`exists (select 1 from message_folders mf where mf.message_id = m.id and mf.folder_id = ${f.folderId}::uuid)`);
  if (f.from) out.push(addressLike('m.from', f.from));
  if (f.to) out.push(sql<boolean>`(${addressLike('m.to', f.to)} or ${addressLike('m.cc', f.to)})`);
  if (f.after) out.push(sql<boolean>`m.date >= ${f.after}`);
  if (f.before) out.push(sql<boolean>`m.date < ${f.before}`);
  if (f.hasAttachments !== undefined) out.push(sql<boolean>`m.has_attachments = ${f.hasAttachments}`);
  if (f.unread !== undefined) out.push(sql<boolean>`m.seen = ${!f.unread}`);
  if (f.labels?.length) out.push(hasLabelsSql(f.labels));
  return out;
}

/**
 * Strictly older than `k` in (date desc nulls last, id desc). A dated key bounds the dated messages only: a
 * plain row comparison is an index condition on messages_date_idx, where `… or m.date is null` would turn
 * it into a filter over every newer row (EXPLAIN: 1.4 ms vs 38 ms two thousand matches deep). The undated
 * messages come as a region of their own after the dated ones (UNDATED).
 */
const olderThan = (k: MailKey) =>
  k.d === null
    ? sql<boolean>`(m.date is null and m.id < ${k.i}::uuid)`
    : sql<boolean>`(m.date, m.id) < (${k.d}::timestamptz, ${k.i}::uuid)`;
const notOlderThan = (k: MailKey) =>
  k.d === null
    ? sql<boolean>`(m.date is not null or m.id >= ${k.i}::uuid)`
    : sql<boolean>`(m.date, m.id) >= (${k.d}::timestamptz, ${k.i}::uuid)`;

const people = (lists: StoredAddress[][]) =>
  lists
    .flat()
    .map((a) => (a.name ? `${a.name} <${a.address}>` : a.address))
    .join(', ');

type Field = NonNullable<EmailHit['highlight']>['field'];
/** A message as the candidates statement reads it: the date only as its key (date_key). */
type CandidateRow = Omit<MessageRow, 'date'> & {
  body: string | null;
  attachment_names: string | null;
  rank: number;
  date_key: string | null;
  in_t: boolean;
  in_a: boolean;
};
interface Scored {
  row: CandidateRow;
  access: MailAccess;
  matched: Array<[Field, string, number]>;
  rank: number;
  key: MailKey;
}

/** Relevance first; equal ranks in date order, so every hit has one place. */
const inSliceOrder = (x: Scored, y: Scored) => y.rank - x.rank || compareMailKeys(x.key, y.key);
const comesAfter = (h: Scored, p: NonNullable<EmailCursor['p']>) => h.rank < p.r || (h.rank === p.r && compareMailKeys(h.key, p.k) > 0);

interface Slice {
  hits: Scored[];
  /** The slice's oldest key (inclusive), fixed once a page was cut inside it. */
  end: MailKey | undefined;
  /** Where the following slice starts (exclusive), or null when none follows. */
  next: MailKey | null;
}

/** Everything a search needs to read one slice after another with the reader's access. */
type SliceReader = (start: MailKey | null, bound?: { end: MailKey; next: MailKey | null }) => Promise<Slice>;

async function sliceReader(db: Kysely<Database>, userId: string, terms: SearchTerm[], f: EmailFilters): Promise<SliceReader | null> {
  // Two independent look-ups, one round trip's wait: on a busy server every round trip adds queueing delay.
  const [access, blocked] = await Promise.all([
    readableMailboxes(db, userId, f.mailboxId ? [f.mailboxId] : undefined),
    blockedFor(db, userId),
  ]);
  // Whether a message has attachments is not "who and when" (as in the messages list).
  if (f.hasAttachments !== undefined) for (const [id, a] of access) if (a === 'metadata') access.delete(id);
  // Labels are the owner's filing, like folder names: only full readers may find mail by them.
  if (f.labels?.length) for (const [id, a] of access) if (a !== 'full') access.delete(id);
  if (!access.size) return null;
  const groups = new Map<MailAccess, string[]>();
  for (const [id, a] of access) groups.set(a, [...(groups.get(a) ?? []), id]);

  const common = [...filterConditions(f)];
  const notBlocked = notBlockedSql(blocked);
  if (notBlocked) common.push(notBlocked);
  // A one-character term reads the newest visible messages themselves (one date-index walk, no second
  // lookup per row by id) and matches only among them.
  const source = terms.some((t) => t.kind === 'cjk1')
    ? sql`(select w.* from messages w where w.mailbox_id = any(${[...access.keys()]}::uuid[]) order by w.date desc nulls last, w.id desc limit ${ONE_CHAR_WINDOW}) m`
    : sql`messages m`;
  // No words (a `label:` search alone): every message the filters keep matches.
  const byGroup = [...groups].map(
    ([a, ids]) => sql<boolean>`(m.mailbox_id = any(${ids}::uuid[]) and ${terms.length ? textCondition(terms, a) : sql<boolean>`true`})`,
  );
  const full = groups.get('full');
  const fullIds = full ?? [];
  const subjectIds = groups.get('subject') ?? [];
  const rq = rankQuery(terms);
  const rank = rq
    ? sql<number>`ts_rank(case when m.mailbox_id = any(${fullIds}::uuid[]) then ${RANK_WEIGHTS.full}::float4[] when m.mailbox_id = any(${subjectIds}::uuid[]) then ${RANK_WEIGHTS.subject}::float4[] else ${RANK_WEIGHTS.metadata}::float4[] end, m.search_tsv, to_tsquery('simple', ${rq}))`
    : sql<number>`0`;
  const words = terms.map((t) => t.text);

  return async (start, bound) => {
    const range = [...common];
    if (start) range.push(olderThan(start));
    if (bound) range.push(notOlderThan(bound.end));
    const limit = bound ? SLICE_REREAD : CANDIDATES;
    const where = (extra: RawBuilder<boolean>) => sql.join([extra, ...range], sql` and `);
    // Newest first on (date desc nulls last, id desc): the order of messages_date_idx, so for a very common
    // term the planner may walk that index and stop after `limit` matches instead of collecting every match.
    const textIds = sql`select m.id from ${source} where ${where(sql<boolean>`(${sql.join(byGroup, sql` or `)})`)} order by m.date desc nulls last, m.id desc limit ${limit}`;
    const attIds =
      full && terms.length
        ? sql`select m.id from ${source} where ${where(sql<boolean>`m.mailbox_id = any(${full}::uuid[]) and ${attachmentCondition(terms)}`)} order by m.date desc nulls last, m.id desc limit ${limit}`
        : sql`select null::uuid as id where false`;
    // Both candidate lists and their rows in one statement (one round trip); materialized so each list's
    // plan stays the bounded one above whatever the outer query looks like.
    const rows = (
      await sql<CandidateRow>`
      with t as materialized (${textIds}), a as materialized (${attIds})
      select m.id, m.mailbox_id, m.thread_id, m."from", m."to", m.cc, m.subject, m.snippet, m.seen, m.flagged, m.answered, m.draft, m.has_attachments, m.size, m.labels,
        m.header_date, m.received_at, m.logged_by_user_id,
        -- The body and attachment names leave the database only for readers who may read them.
        case when m.mailbox_id = any(${fullIds}::uuid[]) then left(m.text_body, 20000) end as body,
        case when m.mailbox_id = any(${fullIds}::uuid[]) then (select string_agg(a.filename, ' / ') from attachments a where a.message_id = m.id) end as attachment_names,
        ${rank} as rank,
        -- The date once, as its exact key (the returned hits' dates are read from it).
        to_char(m.date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as date_key,
        m.id in (select id from t) as in_t, m.id in (select id from a) as in_a
      from messages m where m.id in (select id from t union select id from a)`.execute(db)
    ).rows;

    // A full list may hold older matches beyond its last row: the slice ends at the newer of the full lists'
    // last rows, so every match newer than that is in it and none older is (those open the next slice).
    const keyed = rows.map((r) => ({ r, key: { d: r.date_key, i: r.id } as MailKey }));
    const older = (a: MailKey | undefined, b: MailKey) => (!a || compareMailKeys(b, a) > 0 ? b : a);
    let tCount = 0;
    let aCount = 0;
    let tLast: MailKey | undefined;
    let aLast: MailKey | undefined;
    for (const { r, key } of keyed) {
      if (r.in_t) {
        tCount++;
        tLast = older(tLast, key);
      }
      if (r.in_a) {
        aCount++;
        aLast = older(aLast, key);
      }
    }
    const listCuts = [...(tCount >= limit ? [tLast!] : []), ...(aCount >= limit ? [aLast!] : [])];
    const cuts = bound ? [...listCuts, bound.end] : listCuts;
    const cut = cuts.length ? cuts.reduce((n, k) => (compareMailKeys(k, n) < 0 ? k : n)) : undefined;
    const inSlice = cut ? keyed.filter(({ key }) => compareMailKeys(key, cut) <= 0) : keyed;

    // Rank boosts need only "does the field contain a term" (cheap); snippets are cut for the returned page only.
    const hits = inSlice.map(({ r, key }): Scored => {
      const a = access.get(r.mailbox_id)!;
      const fields: Array<[Field, string, number]> = [
        ['subject', a !== 'metadata' ? (r.subject ?? '') : '', 1],
        ['participants', people([r.from, r.to, r.cc]), 0.5],
        ['body', r.body ?? '', 0.3],
        ['attachment', r.attachment_names ?? '', 0.4],
      ];
      const matched = fields.filter(([, text]) => text && firstMatch(text, words) >= 0);
      const boost = matched.reduce((sum, [, , w]) => sum + w, 0);
      return { row: r, access: a, matched, rank: Math.round((Number(r.rank) + boost) * 1e4) / 1e4, key };
    });
    hits.sort(inSliceOrder);

    const end = cut ?? inSlice.reduce<MailKey | undefined>((o, { key }) => older(o, key), undefined);
    // A slice cut short by a full list continues after its end; a slice a cursor bounded keeps the
    // continuation it had; the last dated slice is followed by the undated messages; else this was the last.
    const next = listCuts.length ? cut! : bound ? bound.next : start && start.d !== null ? UNDATED : null;
    return { hits, end, next };
  };
}

function present(h: Scored, words: string[]): EmailHit {
  const first = h.matched[0];
  const html = first ? highlight(first[1], words) : null;
  // The row's date was read as its key; only the returned hits need it as a date.
  const row = { ...h.row, date: h.row.date_key === null ? null : new Date(h.row.date_key) };
  return { ...presentSummary(row, h.access), rank: h.rank, highlight: first && html ? { field: first[0], html } : null };
}

/**
 * One page of emails matching every term, as the reader may see them (mailbox visibility and blocklist, read
 * afresh for every page), each with a highlighted snippet taken only from fields the reader may read.
 *
 * Order: the newest CANDIDATES matches form a slice ranked by relevance (then date, then id); when a slice is
 * used up the next older slice follows. Ranking stays bounded work for any word, and a cursor (position in
 * a slice plus the slice's bounds) pages through every match once: no repeats, no gaps, also while mail
 * arrives (mail stored meanwhile shows up only if it ranks after the position already reached).
 */
export async function searchEmailPage(
  db: Kysely<Database>,
  userId: string,
  terms: SearchTerm[],
  f: EmailFilters,
  limit: number,
  cursor?: EmailCursor,
): Promise<EmailPage> {
  if (!terms.length && !f.labels?.length) return { items: [], next: null };
  const read = await sliceReader(db, userId, terms, f);
  if (!read) return { items: [], next: null };
  const words = terms.map((t) => t.text);
  const out: Scored[] = [];
  let at: Omit<EmailCursor, 't'> = cursor ?? { s: null };
  // A full slice holds at least CANDIDATES (> any page) hits, so a page touches at most: the rest of one
  // slice, an undated region after the dated one, and one more slice.
  for (let reads = 0; reads < 4; reads++) {
    const slice = await read(at.s, at.e ? { end: at.e, next: at.n ?? null } : undefined);
    const p = at.p;
    const rest = p ? slice.hits.filter((h) => comesAfter(h, p)) : slice.hits;
    const room = limit - out.length;
    if (rest.length > room) {
      out.push(...rest.slice(0, room));
      const last = out[out.length - 1]!;
      return {
        items: out.map((h) => present(h, words)),
        next: { t: 'emails', s: at.s, e: slice.end!, n: slice.next, p: { r: last.rank, k: last.key } },
      };
    }
    out.push(...rest);
    if (slice.next === null) return { items: out.map((h) => present(h, words)), next: null };
    at = { s: slice.next };
    if (out.length === limit) break;
  }
  return { items: out.map((h) => present(h, words)), next: { t: 'emails', ...at } };
}

/** The first page only (as the benchmark and callers without paging use it). */
export async function searchEmails(
  db: Kysely<Database>,
  userId: string,
  terms: SearchTerm[],
  f: EmailFilters,
  limit: number,
): Promise<EmailHit[]> {
  return (await searchEmailPage(db, userId, terms, f, limit)).items;
}
