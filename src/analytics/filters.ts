import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { type BlockedSet, blockedFor, type MailAccess, notBlockedSql, readableMailboxes } from '../store/visibility.ts';

/** What the reader asked for: calendar days (inclusive) in a time zone, and optionally one owner or one team. */
export interface AnalyticsFilters {
  /** YYYY-MM-DD, the first day counted. */
  from: string;
  /** YYYY-MM-DD, the last day counted. */
  to: string;
  /** IANA time zone the days, weeks and months are cut in (the reader's, sent by the web app). */
  timeZone: string;
  ownerId?: string | undefined;
  /** A team's name, any letter case (users.team). */
  team?: string | undefined;
}

/**
 * The filters resolved against the database for one reader: which mailboxes' mail counts (the ones the
 * reader may read, narrowed to the owner or team), whose deals and purchases count, the reader's
 * blocklist as SQL over `m`, and the range as SQL timestamps.
 */
export interface AnalyticsScope {
  filters: AnalyticsFilters;
  mailboxes: Map<string, MailAccess>;
  mailboxIds: string[];
  /** Null: every owner's records (no owner or team filter). */
  ownerIds: string[] | null;
  notBlocked: RawBuilder<boolean>;
  /** The opposite of notBlocked over `m`, in the form the participants' indexes serve; null when nothing is blocked. */
  blocked: RawBuilder<boolean> | null;
  /** The first instant of `from` and the first instant after `to`, in the time zone. */
  start: RawBuilder<Date>;
  end: RawBuilder<Date>;
  tz: RawBuilder<string>;
}

/** The opposite of notBlockedSql over `m`, in the form the participants' GIN indexes serve; null when nothing is blocked. */
export function blockedSql(b: BlockedSet): RawBuilder<boolean> | null {
  const parts: RawBuilder<boolean>[] = [];
  if (b.addresses.length) parts.push(sql<boolean>`m.participants && ${b.addresses}::text[]`);
  if (b.domains.length) parts.push(sql<boolean>`m.participant_domains && ${b.domains}::text[]`);
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` or `)})` : null;
}

/** Users in the owner filter, the team filter, or both (null when neither is set). */
async function ownersOf(db: Kysely<Database>, f: AnalyticsFilters): Promise<string[] | null> {
  if (!f.ownerId && !f.team) return null;
  let q = db.selectFrom('users').select('id');
  if (f.ownerId) q = q.where('id', '=', f.ownerId);
  if (f.team) q = q.where(sql`lower(team)`, '=', f.team.trim().toLowerCase());
  return (await q.execute()).map((u) => u.id);
}

export async function resolveScope(db: Kysely<Database>, reader: User, filters: AnalyticsFilters): Promise<AnalyticsScope> {
  const [readable, ownerIds, blocked] = await Promise.all([
    readableMailboxes(db, reader.id),
    ownersOf(db, filters),
    blockedFor(db, reader.id),
  ]);
  if (ownerIds) {
    const owned = ownerIds.length ? await db.selectFrom('mailboxes').select('id').where('owner_user_id', 'in', ownerIds).execute() : [];
    const keep = new Set(owned.map((m) => m.id));
    for (const id of [...readable.keys()]) if (!keep.has(id)) readable.delete(id);
  }
  const tz = sql<string>`${filters.timeZone}::text`;
  return {
    filters,
    mailboxes: readable,
    mailboxIds: [...readable.keys()],
    ownerIds,
    notBlocked: notBlockedSql(blocked) ?? sql<boolean>`true`,
    blocked: blockedSql(blocked),
    start: sql<Date>`((${filters.from}::date)::timestamp at time zone ${tz})`,
    end: sql<Date>`((${filters.to}::date + 1)::timestamp at time zone ${tz})`,
    tz,
  };
}

/** `column in (owners)` or true: deals and purchases of the chosen owner or team. */
export function ownedBy(scope: AnalyticsScope, column: string): RawBuilder<boolean> {
  if (!scope.ownerIds) return sql<boolean>`true`;
  if (!scope.ownerIds.length) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(column)} = any(${scope.ownerIds}::uuid[])`;
}

/** `m.mailbox_id in (readable)`: never true for a mailbox the reader may not see. */
export function inScopeMailboxes(scope: AnalyticsScope, alias = 'm'): RawBuilder<boolean> {
  if (!scope.mailboxIds.length) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(`${alias}.mailbox_id`)} = any(${scope.mailboxIds}::uuid[])`;
}

/** A timestamp column as a calendar day, week (its Monday) or month (its 1st) in the reader's time zone. */
export function bucketOf(scope: AnalyticsScope, unit: 'week' | 'month', column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`date_trunc(${unit}, ${column} at time zone ${scope.tz})::date::text`;
}

/** Every week (Monday) or month (1st) the range touches, as text, for zero-filled series. */
export function periodsOf(scope: AnalyticsScope, unit: 'week' | 'month'): RawBuilder<string> {
  const step = unit === 'week' ? '1 week' : '1 month';
  return sql<string>`select p::date::text as period from generate_series(date_trunc(${unit}, ${scope.filters.from}::date::timestamp), ${scope.filters.to}::date::timestamp, ${step}::interval) p`;
}
