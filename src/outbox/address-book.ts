import { type Kysely, sql } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { cannotSendReason, sendableMailboxes } from './access.ts';
import { recipientsInLastDay, sendingLimits } from './limits.ts';

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * GET /compose/recipients: contacts whose name or address contains `q` (any script: 张 finds 张三), one
 * suggestion per address, with the company and whether mail to it bounced; then colleagues (users).
 */
export async function recipientSuggestions(db: Kysely<Database>, q: string, limit = 20) {
  const like = `%${escapeLike(q.trim())}%`;
  const contacts = await db
    .selectFrom('contact_emails as e')
    .innerJoin('contacts as c', 'c.id', 'e.contact_id')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .select(['c.id as contactId', 'c.name', 'e.address', 'co.name as companyName', 'e.bouncing_at'])
    .where(sql<boolean>`(c.name ilike ${like} or e.address ilike ${like})`)
    .orderBy(sql`(c.name ilike ${`${escapeLike(q.trim())}%`})`, 'desc')
    .orderBy('c.name')
    .orderBy('e.is_primary', 'desc')
    .orderBy('e.address')
    .limit(limit)
    .execute();
  const suggestions: Array<{
    name: string | null;
    address: string;
    contactId: string | null;
    companyName: string | null;
    bouncing: boolean;
  }> = contacts.map((c) => ({
    name: c.name,
    address: c.address,
    contactId: c.contactId,
    companyName: c.companyName,
    bouncing: c.bouncing_at !== null,
  }));
  if (suggestions.length < limit) {
    const taken = new Set(suggestions.map((s) => s.address.toLowerCase()));
    const users = await db
      .selectFrom('users')
      .select(['name', 'email'])
      .where('active', '=', true)
      .where(sql<boolean>`(name ilike ${like} or email ilike ${like})`)
      .orderBy('name')
      .limit(limit - suggestions.length)
      .execute();
    for (const u of users)
      if (!taken.has(u.email.toLowerCase()))
        suggestions.push({ name: u.name, address: u.email, contactId: null, companyName: null, bouncing: false });
  }
  return suggestions;
}

/** GET /compose/senders: every mailbox the user may send from, whether it can now, its signature and limits. */
export async function senderMailboxes(db: Kysely<Database>, user: User) {
  const now = new Date();
  return Promise.all(
    (await sendableMailboxes(db, user)).map(async (m) => {
      const limits = sendingLimits(m);
      const reason = cannotSendReason(m);
      return {
        id: m.id,
        email: m.email,
        displayName: m.display_name,
        signatureHtml: m.signature_html,
        canSend: reason === null,
        reason,
        limits: { ...limits, sentToday: (await recipientsInLastDay(db, m.id, now)).count },
      };
    }),
  );
}
