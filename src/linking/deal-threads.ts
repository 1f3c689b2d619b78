import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Gives a deal the thread automatically when it is unambiguous: a company on the message (by domain or
 * through a linked contact) has exactly one open deal, and one of that deal's contacts is on the thread.
 * Two open deals, or none of the deal's people on the thread: a person links it by hand.
 */
export async function autoLinkDealThread(
  db: Kysely<Database>,
  threadId: string | null,
  contactIds: string[],
  companyIds: string[],
): Promise<string[]> {
  if (!threadId || (!contactIds.length && !companyIds.length)) return [];
  const viaContacts = contactIds.length
    ? (
        await db.selectFrom('contacts').select('company_id').where('id', 'in', contactIds).where('company_id', 'is not', null).execute()
      ).map((r) => r.company_id!)
    : [];
  const companies = [...new Set([...companyIds, ...viaContacts])];
  if (!companies.length) return [];
  const rows = await sql<{ deal_id: string }>`
    select d.id as deal_id
    from deals d
    where d.company_id = any(${companies}::uuid[]) and d.status = 'open'
      and (select count(*) from deals o where o.company_id = d.company_id and o.status = 'open') = 1
      and exists (
        select 1 from deal_contacts dc
        join message_links ml on ml.contact_id = dc.contact_id and ml.role <> 'bcc'
        join messages m on m.id = ml.message_id
        where dc.deal_id = d.id and m.thread_id = ${threadId}::uuid
      )`.execute(db);
  const dealIds = rows.rows.map((r) => r.deal_id);
  if (dealIds.length) {
    await db
      .insertInto('deal_threads')
      .values(dealIds.map((deal_id) => ({ deal_id, thread_id: threadId, automatic: true })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return dealIds;
}

/**
 * autoLinkDealThread for a batch of linked messages: messages of one thread are decided together (the
 * same deals as deciding each), and a batch whose companies have no open deal costs one query.
 */
export async function autoLinkDealThreads(
  db: Kysely<Database>,
  linked: Array<{ threadId: string | null; contactIds: string[]; companyIds: string[] }>,
): Promise<void> {
  const byThread = new Map<string, { contactIds: Set<string>; companyIds: Set<string> }>();
  for (const m of linked) {
    if (!m.threadId || (!m.contactIds.length && !m.companyIds.length)) continue;
    const entry = byThread.get(m.threadId) ?? { contactIds: new Set(), companyIds: new Set() };
    for (const id of m.contactIds) entry.contactIds.add(id);
    for (const id of m.companyIds) entry.companyIds.add(id);
    byThread.set(m.threadId, entry);
  }
  if (!byThread.size || !(await anyOpenDeal(db, [...byThread.values()]))) return;
  for (const [threadId, ids] of byThread) await autoLinkDealThread(db, threadId, [...ids.contactIds], [...ids.companyIds]);
}

/** Whether any company on these messages, by domain or through a linked contact, has an open deal. */
async function anyOpenDeal(db: Kysely<Database>, threads: Array<{ contactIds: Set<string>; companyIds: Set<string> }>): Promise<boolean> {
  const contactIds = [...new Set(threads.flatMap((t) => [...t.contactIds]))];
  const companyIds = [...new Set(threads.flatMap((t) => [...t.companyIds]))];
  const row = await sql<{ found: boolean }>`
    select exists (
      select 1 from deals d
      where d.status = 'open'
        and (d.company_id = any(${companyIds}::uuid[])
          or d.company_id in (select c.company_id from contacts c where c.id = any(${contactIds}::uuid[])))
    ) as found`.execute(db);
  return row.rows[0]?.found === true;
}

export async function linkDealThread(db: Kysely<Database>, dealId: string, threadId: string, userId: string): Promise<void> {
  await db
    .insertInto('deal_threads')
    .values({ deal_id: dealId, thread_id: threadId, automatic: false, created_by: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function unlinkDealThread(db: Kysely<Database>, dealId: string, threadId: string): Promise<boolean> {
  const r = await db.deleteFrom('deal_threads').where('deal_id', '=', dealId).where('thread_id', '=', threadId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
