import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What one reader must not see: blocked addresses and domains (a domain also blocks its subdomains). */
export interface BlockedSet {
  addresses: string[];
  domains: string[];
}

export const NOTHING_BLOCKED: BlockedSet = { addresses: [], domains: [] };

function toSet(rows: Array<{ kind: string; value: string }>): BlockedSet {
  return {
    addresses: [...new Set(rows.filter((r) => r.kind === 'address').map((r) => r.value))],
    domains: [...new Set(rows.filter((r) => r.kind === 'domain').map((r) => r.value))],
  };
}

/** The workspace's entries plus the reader's own. */
export async function blockedFor(db: Kysely<Database>, userId: string): Promise<BlockedSet> {
  const rows = await db
    .selectFrom('blocklist_entries')
    .select(['kind', 'value'])
    .where((eb) => eb.or([eb('scope', '=', 'workspace'), eb('user_id', '=', userId)]))
    .execute();
  return toSet(rows);
}

/** The workspace's entries only: what keeps the linker from creating contacts out of blocked mail. */
export async function workspaceBlocked(db: Kysely<Database>): Promise<BlockedSet> {
  return toSet(await db.selectFrom('blocklist_entries').select(['kind', 'value']).where('scope', '=', 'workspace').execute());
}

const domainChain = (address: string): string[] => {
  const labels = (address.split('@')[1] ?? '').split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
};

/** True when any participant is a blocked address or at a blocked domain (or a subdomain of one). */
export function isBlocked(b: BlockedSet, participants: string[]): boolean {
  if (!b.addresses.length && !b.domains.length) return false;
  const addresses = new Set(b.addresses);
  const domains = new Set(b.domains);
  return participants.some((p) => {
    const a = p.toLowerCase();
    return addresses.has(a) || domainChain(a).some((d) => domains.has(d));
  });
}

/**
 * The SQL form of `!isBlocked` for a messages alias (`m` by default): uses the participants array and the
 * generated participant_domains array (which holds parent domains too). Null when nothing is blocked.
 */
export function notBlockedSql(b: BlockedSet, alias = 'm'): RawBuilder<boolean> | null {
  const parts: RawBuilder<boolean>[] = [];
  if (b.addresses.length) parts.push(sql<boolean>`not (${sql.ref(`${alias}.participants`)} && ${b.addresses}::text[])`);
  if (b.domains.length) parts.push(sql<boolean>`not (${sql.ref(`${alias}.participant_domains`)} && ${b.domains}::text[])`);
  if (!parts.length) return null;
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}
