import type { Kysely } from 'kysely';
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
import { companyNameFromDomain, decideAutoContacts } from './auto-contacts.ts';

/** acme.com from sales.acme.com; example.co.uk stays whole. */
export function registrableDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.');
  const twoPart = labels.length >= 3 && /^(com|co|net|org|gov|edu|ac)$/.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2;
  return labels.slice(-(twoPart ? 3 : 2)).join('.');
}

const lostRace = (e: unknown) => isUniqueViolation(e) || (e instanceof CrmError && (e.code === 'email_in_use' || e.code === 'domain_in_use'));

/**
 * Applies the mailbox's contact-creation rule to one stored message: makes the companies (from work domains)
 * and contacts the decision names, owned by the mailbox owner. Returns the CRM events to announce (their
 * retroactive linking then links this message and every earlier one). A concurrent creator winning the
 * race is not an error: the contact simply exists.
 */
export async function createContactsFor(db: Kysely<Database>, message: Pick<MessageRow, 'mailbox_id' | 'from' | 'to' | 'cc' | 'bcc' | 'list_id' | 'list_unsubscribe' | 'precedence' | 'auto_submitted'>): Promise<CrmEvent[]> {
  const mailbox = await db.selectFrom('mailboxes').select(['email', 'owner_user_id', 'contact_creation']).where('id', '=', message.mailbox_id).executeTakeFirst();
  if (!mailbox || mailbox.contact_creation === 'off') return [];
  const settings = await getWorkspaceSettings(db);
  const blocked = await workspaceBlocked(db);
  const candidates = decideAutoContacts({
    mode: mailbox.contact_creation, mailboxAddress: mailbox.email,
    from: message.from, to: message.to, cc: message.cc, bcc: message.bcc,
    listId: message.list_id, listUnsubscribe: message.list_unsubscribe, precedence: message.precedence, autoSubmitted: message.auto_submitted,
    workspaceDomains: settings.workspaceDomains, allowFreeMail: settings.autoContactsFromFreeMail,
    isBlocked: (a) => isBlocked(blocked, [a]),
  });
  if (!candidates.length) return [];
  const known = await db.selectFrom('contact_emails').select('address').where('address', 'in', candidates.map((c) => c.address)).execute();
  const have = new Set(known.map((k) => k.address));
  const events: CrmEvent[] = [];
  for (const c of candidates.filter((x) => !have.has(x.address))) {
    let companyId: string | null = null;
    if (c.companyDomain) {
      companyId = await findCompanyIdByDomain(db, c.companyDomain);
      if (!companyId) {
        const domain = registrableDomain(c.companyDomain);
        try {
          const made = await db.transaction().execute((trx) => insertCompany(trx, { name: companyNameFromDomain(domain), industry: null, notes: null, ownerUserId: mailbox.owner_user_id, domains: [domain] }));
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
        const contactId = await insertContact(trx, { name: c.name.slice(0, 200), companyId, title: null, phones: [], ownerUserId: mailbox.owner_user_id, tags: [], notes: null });
        await addContactEmails(trx, contactId, [c.address]);
        return contactId;
      });
      events.push(...contactCreatedEvents(id, [c.address]));
    } catch (e) {
      if (!lostRace(e)) throw e;
    }
  }
  return events;
}
