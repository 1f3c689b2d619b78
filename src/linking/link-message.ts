import { type Kysely, sql } from 'kysely';
import { findCompanyIdsByDomains, findContactIdsByEmails } from '../crm/index.ts';
import type { Database } from '../db/schema.ts';
import type { StoredAddress } from '../store/tables.ts';
import { domainOf, isFreeMailDomain } from './free-mail.ts';
import type { LinkRole } from './tables.ts';

export interface MessageParticipants {
  id: string;
  from: StoredAddress[];
  to: StoredAddress[];
  cc: StoredAddress[];
  bcc: StoredAddress[];
}

export function participantsByRole(m: MessageParticipants): Array<{ role: LinkRole; address: string }> {
  const out: Array<{ role: LinkRole; address: string }> = [];
  for (const role of ['from', 'to', 'cc', 'bcc'] as const) {
    for (const a of m[role] ?? []) {
      const address = a.address?.trim().toLowerCase();
      if (address?.includes('@')) out.push({ role, address });
    }
  }
  return out;
}

type LinkRow = { message_id: string; contact_id: string | null; company_id: string | null; role: LinkRole };

/** What linking found for one message: the contacts and companies it is now linked to. */
export interface MessageLinks {
  contactIds: string[];
  companyIds: string[];
}

/** Rows per INSERT: four parameters a row stays far below PostgreSQL's 65,535 per statement. */
const INSERT_CHUNK = 2_000;

/**
 * Links the participants of a batch of messages to the contacts that own their addresses and, by
 * domain, to companies (never by a free-mail domain): one lookup of all addresses, one of all domains,
 * and the link rows written together. Idempotent: unique keys make a second run insert nothing.
 */
export async function linkMessages(db: Kysely<Database>, messages: MessageParticipants[]): Promise<Map<string, MessageLinks>> {
  const people = new Map(messages.map((m) => [m.id, participantsByRole(m)]));
  const addresses = [...new Set([...people.values()].flat().map((p) => p.address))];
  const domains = [...new Set(addresses.map(domainOf).filter((d) => d && !isFreeMailDomain(d)))];
  const [contacts, companies] = await Promise.all([findContactIdsByEmails(db, addresses), findCompanyIdsByDomains(db, domains)]);
  const rows: LinkRow[] = [];
  const out = new Map<string, MessageLinks>();
  for (const [messageId, list] of people) {
    const contactIds = new Set<string>();
    const companyIds = new Set<string>();
    for (const p of list) {
      const contactId = contacts.get(p.address);
      if (contactId) {
        rows.push({ message_id: messageId, contact_id: contactId, company_id: null, role: p.role });
        contactIds.add(contactId);
      }
      const domain = domainOf(p.address);
      const companyId = isFreeMailDomain(domain) ? undefined : companies.get(domain);
      if (companyId) {
        rows.push({ message_id: messageId, contact_id: null, company_id: companyId, role: p.role });
        companyIds.add(companyId);
      }
    }
    out.set(messageId, { contactIds: [...contactIds], companyIds: [...companyIds] });
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('message_links')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return out;
}

const roleLists = sql`(values ('from', m."from"), ('to', m."to"), ('cc', m.cc), ('bcc', m.bcc)) as r(role, list)`;

/**
 * Retroactive: a contact gained an address — link every stored message with it, in one set-based
 * INSERT … SELECT driven by the GIN index on messages.participants.
 */
export async function linkAddressToContact(db: Kysely<Database>, contactId: string, address: string): Promise<number> {
  const a = address.trim().toLowerCase();
  const res = await sql`
    insert into message_links (message_id, contact_id, role)
    select distinct m.id, ${contactId}::uuid, r.role
    from messages m cross join lateral ${roleLists}
    where m.participants @> array[${a}]::text[]
      and exists (select 1 from jsonb_array_elements(r.list) e where lower(e->>'address') = ${a})
    on conflict do nothing`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * Retroactive: a company gained a domain — link every stored message with a participant at that domain or
 * a subdomain (the generated participant_domains column holds parent domains, GIN-indexed). A subdomain
 * that belongs to another company stays that company's.
 */
export async function linkDomainToCompany(db: Kysely<Database>, companyId: string, domain: string): Promise<number> {
  const d = domain.trim().toLowerCase();
  if (isFreeMailDomain(d)) return 0;
  const res = await sql`
    insert into message_links (message_id, company_id, role)
    select distinct m.id, ${companyId}::uuid, r.role
    from messages m cross join lateral ${roleLists}
    where m.participant_domains @> array[${d}]::text[]
      and exists (
        select 1 from jsonb_array_elements(r.list) e
        where (lower(split_part(e->>'address', '@', 2)) = ${d} or lower(split_part(e->>'address', '@', 2)) like ${`%.${d}`})
          and not exists (
            select 1 from company_domains cd
            where cd.company_id <> ${companyId}::uuid and length(cd.domain) > ${d.length}
              and (lower(split_part(e->>'address', '@', 2)) = cd.domain or lower(split_part(e->>'address', '@', 2)) like '%.' || cd.domain)
          )
      )
    on conflict do nothing`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
