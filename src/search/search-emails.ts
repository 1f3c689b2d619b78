import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { presentSummary, type MessageSummary } from '../store/presenters.ts';
import type { MessageRow, StoredAddress } from '../store/tables.ts';
import { blockedFor, notBlockedSql, readableMailboxes, type MailAccess } from '../store/visibility.ts';
import { attachmentCondition, RANK_WEIGHTS, rankQuery, textCondition } from './email-conditions.ts';
import { firstMatch, highlight } from './highlight.ts';
import type { SearchTerm } from './query-terms.ts';

export interface EmailFilters {
  mailboxId?: string;
  folderId?: string;
  from?: string;
  to?: string;
  after?: Date;
  before?: Date;
  hasAttachment?: boolean;
  unread?: boolean;
}

export interface EmailHit extends MessageSummary {
  rank: number;
  highlight: { field: 'subject' | 'body' | 'attachment' | 'participants'; html: string } | null;
}

/** How many of the newest matches are ranked: ranking is bounded work however common a word is. */
const CANDIDATES = 120;
/** A one-character CJK term scans at most this many of the newest visible messages. */
const ONE_CHAR_WINDOW = 2000;

const addressLike = (col: string, value: string) =>
  sql<boolean>`exists (select 1 from jsonb_array_elements(${sql.ref(col)}) e where lower(e->>'address') like ${`%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`;

function filterConditions(f: EmailFilters): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (f.folderId) out.push(sql<boolean>`exists (select 1 from message_folders mf where mf.message_id = m.id and mf.folder_id = ${f.folderId}::uuid)`);
  if (f.from) out.push(addressLike('m.from', f.from));
  if (f.to) out.push(sql<boolean>`(${addressLike('m.to', f.to)} or ${addressLike('m.cc', f.to)})`);
  if (f.after) out.push(sql<boolean>`m.date >= ${f.after}`);
  if (f.before) out.push(sql<boolean>`m.date < ${f.before}`);
  if (f.hasAttachment !== undefined) out.push(sql<boolean>`m.has_attachments = ${f.hasAttachment}`);
  if (f.unread !== undefined) out.push(sql<boolean>`m.seen = ${!f.unread}`);
  return out;
}

const people = (lists: StoredAddress[][]) => lists.flat().map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');

/**
 * Emails matching every term, as the reader may see them (mailbox visibility and blocklist), ranked, each
 * with a highlighted snippet taken only from fields the reader may read.
 */
export async function searchEmails(db: Kysely<Database>, userId: string, terms: SearchTerm[], f: EmailFilters, limit: number): Promise<EmailHit[]> {
  if (!terms.length) return [];
  // Two independent look-ups, one round trip's wait: on a busy server every round trip adds queueing delay.
  const [access, blocked] = await Promise.all([readableMailboxes(db, userId, f.mailboxId ? [f.mailboxId] : undefined), blockedFor(db, userId)]);
  // Whether a message has attachments is not "who and when" (as in the messages list).
  if (f.hasAttachment !== undefined) for (const [id, a] of access) if (a === 'metadata') access.delete(id);
  if (!access.size) return [];
  const groups = new Map<MailAccess, string[]>();
  for (const [id, a] of access) groups.set(a, [...(groups.get(a) ?? []), id]);

  const common = [...filterConditions(f)];
  const notBlocked = notBlockedSql(blocked);
  if (notBlocked) common.push(notBlocked);
  // A one-character term reads the newest visible messages themselves (one date-index walk, no second
  // lookup per row by id) and matches only among them.
  const source = terms.some((t) => t.kind === 'cjk1')
    ? sql`(select w.* from messages w where w.mailbox_id = any(${[...access.keys()]}::uuid[]) order by w.date desc nulls last limit ${ONE_CHAR_WINDOW}) m`
    : sql`messages m`;
  const where = (extra: RawBuilder<boolean>) => sql.join([extra, ...common], sql` and `);
  const byGroup = [...groups].map(([a, ids]) => sql<boolean>`(m.mailbox_id = any(${ids}::uuid[]) and ${textCondition(terms, a)})`);
  // Newest first on (date desc nulls last): the order of messages_date_idx, so for a very common term the
  // planner may walk that index and stop after CANDIDATES matches instead of collecting every match.
  const textIds = sql`select m.id from ${source} where ${where(sql<boolean>`(${sql.join(byGroup, sql` or `)})`)} order by m.date desc nulls last limit ${CANDIDATES}`;
  const full = groups.get('full');
  const attIds = full
    ? sql` union select a.id from (select m.id from ${source} where ${where(sql<boolean>`m.mailbox_id = any(${full}::uuid[]) and ${attachmentCondition(terms)}`)} order by m.date desc nulls last limit ${CANDIDATES}) a`
    : sql``;
  const fullIds = full ?? [];
  const subjectIds = groups.get('subject') ?? [];
  const rq = rankQuery(terms);
  const rank = rq
    ? sql<number>`ts_rank(case when m.mailbox_id = any(${fullIds}::uuid[]) then ${RANK_WEIGHTS.full}::float4[] when m.mailbox_id = any(${subjectIds}::uuid[]) then ${RANK_WEIGHTS.subject}::float4[] else ${RANK_WEIGHTS.metadata}::float4[] end, m.search_tsv, to_tsquery('simple', ${rq}))`
    : sql<number>`0`;
  // Candidates and their rows in one statement (one round trip); materialized so the candidate plan stays
  // the bounded one above whatever the outer query looks like.
  const rows = await sql<MessageRow & { body: string | null; attachment_names: string | null; rank: number }>`
    with candidates as materialized (select c.id from (${textIds}) c${attIds})
    select m.id, m.mailbox_id, m.thread_id, m.date, m."from", m."to", m.cc, m.subject, m.snippet, m.seen, m.flagged, m.answered, m.draft, m.has_attachments, m.size,
      -- The body and attachment names leave the database only for readers who may read them.
      case when m.mailbox_id = any(${fullIds}::uuid[]) then left(m.text_body, 20000) end as body,
      case when m.mailbox_id = any(${fullIds}::uuid[]) then (select string_agg(a.filename, ' / ') from attachments a where a.message_id = m.id) end as attachment_names,
      ${rank} as rank
    from messages m where m.id in (select id from candidates)`.execute(db);

  const words = terms.map((t) => t.text);
  type Field = NonNullable<EmailHit['highlight']>['field'];
  // Rank boosts need only "does the field contain a term" (cheap); snippets are cut for the returned page only.
  const scored = rows.rows.map((r) => {
    const a = access.get(r.mailbox_id)!;
    const fields: Array<[Field, string, number]> = [
      ['subject', a !== 'metadata' ? r.subject ?? '' : '', 1],
      ['participants', people([r.from, r.to, r.cc]), 0.5],
      ['body', r.body ?? '', 0.3],
      ['attachment', r.attachment_names ?? '', 0.4],
    ];
    const matched = fields.filter(([, text]) => text && firstMatch(text, words) >= 0);
    const boost = matched.reduce((sum, [, , w]) => sum + w, 0);
    return { r, a, matched, rank: Math.round((Number(r.rank) + boost) * 1e4) / 1e4, sortDate: r.date ? new Date(r.date).getTime() : 0 };
  });
  scored.sort((x, y) => y.rank - x.rank || y.sortDate - x.sortDate);
  return scored.slice(0, limit).map(({ r, a, matched, rank }) => {
    const first = matched[0];
    const html = first ? highlight(first[1], words) : null;
    return { ...presentSummary(r, a), rank, highlight: first && html ? { field: first[0], html } : null };
  });
}
