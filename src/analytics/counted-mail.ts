import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type AnalyticsScope, inScopeMailboxes } from './filters.ts';

/** Junk and Trash folders of the scope's mailboxes: mail only there is spam or thrown away, not correspondence. */
export async function junkFolders(db: Kysely<Database>, scope: AnalyticsScope): Promise<string[]> {
  if (!scope.mailboxIds.length) return [];
  const rows = await db
    .selectFrom('mail_folders')
    .select('id')
    .where('mailbox_id', 'in', scope.mailboxIds)
    .where('role', 'in', ['junk', 'trash'])
    .execute();
  return rows.map((r) => r.id);
}

/** `m` is in none of the given folders (true when there are none, so the anti-join is only paid when needed). */
export function notIn(folderIds: string[], alias = 'm'): RawBuilder<boolean> {
  if (!folderIds.length) return sql<boolean>`true`;
  return sql<boolean>`not exists (select 1 from message_folders mf where mf.message_id = ${sql.ref(`${alias}.id`)} and mf.folder_id = any(${folderIds}::uuid[]))`;
}

/** Outbound: sent from the mailbox's own address (the Sent copy); everything else in the mailbox is inbound. */
export const outboundSql = (m = 'm', mb = 'mb') =>
  sql<boolean>`(lower(coalesce(${sql.ref(`${m}.from`)}->0->>'address', '')) = lower(${sql.ref(`${mb}.email`)}))`;

/**
 * The mail the analytics count, as a FROM-able subquery `x(id, mailbox_id, owner_user_id, thread_id, date,
 * outbound)`: messages dated in the range, in the mailboxes the reader may read (narrowed to the owner or
 * team), not drafts, not only in Junk or Trash, and not hidden by the reader's blocklist. A message counts
 * once per mailbox that holds it.
 */
export async function countedMail(db: Kysely<Database>, scope: AnalyticsScope, where: RawBuilder<boolean> = sql`true`) {
  const junk = await junkFolders(db, scope);
  return sql`(
    select m.id, m.mailbox_id, mb.owner_user_id, m.thread_id, m.date, ${outboundSql()} as outbound
    from messages m join mailboxes mb on mb.id = m.mailbox_id
    where ${inScopeMailboxes(scope)}
      and m.date >= ${scope.start} and m.date < ${scope.end}
      and not m.draft
      and ${scope.notBlocked}
      and ${notIn(junk)}
      and ${where}
  )`;
}
