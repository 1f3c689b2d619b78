import { type Kysely, sql } from 'kysely';
import { isUniqueViolation } from '../kernel/index.ts';
import { isBlocked, workspaceBlocked } from '../blocklist/filter.ts';
import { CrmError, findCompanyIdByDomain } from '../crm/index.ts';
import { insertCompany } from '../crm/companies/repository.ts';
import { addContactEmails } from '../crm/contacts/emails.ts';
import { insertContact } from '../crm/contacts/repository.ts';
import { contactCreatedEvents, type CrmEvent } from '../crm/events.ts';
import type { Database } from '../db/schema.ts';
import { getWorkspaceSettings } from '../settings/workspace-settings.ts';
import type { MessageRow } from '../store/tables.ts';
import { type ContactCandidate, companyNameFromDomain, decideAutoContacts } from './auto-contacts.ts';

/** acme.com from sales.acme.com; example.co.uk stays whole. */
export function registrableDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.');
  const twoPart =
    labels.length >= 3 && /^(com|co|net|org|gov|edu|ac)$/.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2;
  return labels.slice(-(twoPart ? 3 : 2)).join('.');
}

const lostRace = (e: unknown) =>
  isUniqueViolation(e) || (e instanceof CrmError && (e.code === 'email_in_use' || e.code === 'domain_in_use'));

type AutoContactMessage = Pick<
  MessageRow,
  'mailbox_id' | 'from' | 'to' | 'cc' | 'bcc' | 'list_id' | 'list_unsubscribe' | 'precedence' | 'auto_submitted'
>;

/**
 * Applies each message's mailbox contact-creation rule to a batch of stored messages: makes the companies
 * (from work domains) and contacts the decisions name, owned by the mailbox owner. The mailboxes, the
 * workspace settings, the blocklist and the addresses already known are read once for the batch; an
 * address named by several messages is decided by the first, as if they came one by one. Returns the CRM
 * events to announce (their retroactive linking then links these messages and every earlier one). A
 * concurrent creator winning the race is not an error: the contact simply exists.
 */
export async function createContactsForMessages(db: Kysely<Database>, messages: AutoContactMessage[]): Promise<CrmEvent[]> {
  const mailboxIds = [...new Set(messages.map((m) => m.mailbox_id))];
  if (!mailboxIds.length) return [];
  const mailboxes = new Map(
    (
      await db
        .selectFrom('mailboxes')
        .select(['id', 'email', 'owner_user_id', 'contact_creation', 'visibility'])
        .where('id', 'in', mailboxIds)
        .where('contact_creation', '!=', 'off')
        .execute()
    ).map((m) => [m.id, m]),
  );
  if (!mailboxes.size) return [];
  const settings = await getWorkspaceSettings(db);
  const blocked = await workspaceBlocked(db);
  const wanted = new Map<string, { candidate: ContactCandidate; ownerUserId: string }>();
  for (const message of messages) {
    const mailbox = mailboxes.get(message.mailbox_id);
    if (!mailbox || mailbox.contact_creation === 'off') continue;
    const candidates = decideAutoContacts({
      mode: mailbox.contact_creation,
      mailboxAddress: mailbox.email,
      from: message.from,
      to: message.to,
      cc: message.cc,
      bcc: message.bcc,
      bccVisible: mailbox.visibility === 'share_all',
      listId: message.list_id,
      listUnsubscribe: message.list_unsubscribe,
      precedence: message.precedence,
      autoSubmitted: message.auto_submitted,
      workspaceDomains: settings.workspaceDomains,
      allowFreeMail: settings.autoContactsFromFreeMail,
      isBlocked: (a) => isBlocked(blocked, [a]),
    });
    for (const candidate of candidates) {
      if (!wanted.has(candidate.address)) wanted.set(candidate.address, { candidate, ownerUserId: mailbox.owner_user_id });
    }
  }
  if (!wanted.size) return [];
  const known = await db
    .selectFrom('contact_emails')
    .select('address')
    .where('address', '=', sql<string>`any(${[...wanted.keys()]}::text[])`)
    .execute();
  for (const k of known) wanted.delete(k.address);
  const events: CrmEvent[] = [];
  for (const { candidate, ownerUserId } of wanted.values()) await createContact(db, candidate, ownerUserId, events);
  return events;
}

async function createContact(db: Kysely<Database>, c: ContactCandidate, ownerUserId: string, events: CrmEvent[]): Promise<void> {
  let companyId: string | null = null;
  if (c.companyDomain) {
    companyId = await findCompanyIdByDomain(db, c.companyDomain);
    if (!companyId) {
      const domain = registrableDomain(c.companyDomain);
      try {
        const made = await db
          .transaction()
          .execute((trx) =>
            insertCompany(trx, { name: companyNameFromDomain(domain), industry: null, notes: null, ownerUserId, domains: [domain] }),
          );
        companyId = made.id;
        events.push(...made.events);
      } catch (e) {
        if (!lostRace(e)) throw e;
        companyId = await findCompanyIdByDomain(db, c.companyDomain);
      }
    }
  }
  try {
    const id = await db.transaction().execute(async (trx) => {
      const contactId = await insertContact(trx, {
        name: c.name.slice(0, 200),
        companyId,
        title: null,
        phones: [],
        ownerUserId,
        tags: [],
        notes: null,
      });
      await addContactEmails(trx, contactId, [c.address]);
      return contactId;
    });
    events.push(...contactCreatedEvents(id, [c.address]));
  } catch (e) {
    if (!lostRace(e)) throw e;
  }
}
