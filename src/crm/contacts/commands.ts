import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { contactCreatedEvents, type CrmEvent, recordChanged } from '../events.ts';
import { assertExists, resolveOwner } from '../shared/access.ts';
import { editableRecord } from '../shared/records.ts';
import { type Actor, changeAudit, commitWrite, type CrmDeps } from '../shared/write.ts';
import type { Phone } from '../tables.ts';
import { addContactEmails, removeContactEmail, setPrimaryEmail } from './emails.ts';
import type { ContactView } from './presenter.ts';
import { contactRecord } from './record.ts';
import { findContact, insertContact, updateContact } from './repository.ts';

export interface ContactCreateInput {
  name: string;
  /** The first is the primary address. */
  emails: string[];
  companyId?: string | null | undefined;
  title?: string | null | undefined;
  phones: Phone[];
  tags: string[];
  notes?: string | null | undefined;
  ownerId?: string | undefined;
}

export type ContactChangeInput = Partial<Omit<ContactCreateInput, 'emails'>>;

/** The contact as it now is, read inside the write's transaction. */
async function presented(trx: Transaction<Database>, id: string): Promise<ContactView> {
  return contactRecord.present((await findContact(trx, id))!);
}

/** Creates a contact with its addresses; announces `contact.created` and each `contact.email_added`. */
export async function createContact(deps: CrmDeps, actor: Actor, input: ContactCreateInput): Promise<ContactView> {
  const ownerUserId = await resolveOwner(deps.db, actor.user, input.ownerId);
  await assertExists(deps.db, 'companies', input.companyId, 'unknown_company');
  return commitWrite(deps, actor, async (trx) => {
    const id = await insertContact(trx, {
      name: input.name,
      companyId: input.companyId ?? null,
      title: input.title ?? null,
      phones: input.phones,
      ownerUserId,
      tags: input.tags,
      notes: input.notes ?? null,
    });
    const added = await addContactEmails(trx, id, input.emails);
    return {
      result: await presented(trx, id),
      audit: { action: 'contact.create', targetType: 'contact', targetId: id },
      events: [
        ...contactCreatedEvents(
          id,
          added.map((e) => (e.data as { address: string }).address),
        ),
        ...recordChanged('contact', id, 'created', actor.user.id),
      ],
    };
  });
}

/** Changes a contact's fields; `phones` and `tags` replace the whole list. */
export async function changeContact(deps: CrmDeps, actor: Actor, id: string, input: ContactChangeInput): Promise<ContactView> {
  const existing = await editableRecord(deps.db, contactRecord, actor, id);
  const ownerUserId = input.ownerId === undefined ? undefined : await resolveOwner(deps.db, actor.user, input.ownerId);
  await assertExists(deps.db, 'companies', input.companyId, 'unknown_company');
  return commitWrite(deps, actor, async (trx) => {
    const { ownerId: _ownerId, ...fields } = input;
    await updateContact(trx, existing.id, { ...fields, ownerUserId });
    return {
      result: await presented(trx, existing.id),
      audit: changeAudit('contact', existing.id, input),
      events: recordChanged('contact', existing.id, 'updated', actor.user.id, Object.keys(input)),
    };
  });
}

/** One change to a contact's addresses, which also bumps the contact's updated_at. */
async function changeEmails(
  deps: CrmDeps,
  actor: Actor,
  id: string,
  action: string,
  change: (trx: Transaction<Database>, contactId: string) => Promise<CrmEvent[]>,
) {
  const contact = await editableRecord(deps.db, contactRecord, actor, id);
  return commitWrite(deps, actor, async (trx) => {
    const events = await change(trx, contact.id);
    await trx.updateTable('contacts').set({ updated_at: new Date() }).where('id', '=', contact.id).execute();
    return {
      result: await presented(trx, contact.id),
      audit: { action, targetType: 'contact', targetId: contact.id },
      events: [...events, ...recordChanged('contact', contact.id, 'updated', actor.user.id, ['emails'])],
    };
  });
}

/** Adds an address (409 email_in_use when another contact has it); announces `contact.email_added`. */
export function addContactEmail(
  deps: CrmDeps,
  actor: Actor,
  id: string,
  input: { address: string; isPrimary: boolean },
): Promise<ContactView> {
  return changeEmails(deps, actor, id, 'contact.email_add', (trx, contactId) =>
    addContactEmails(trx, contactId, [input.address], input.isPrimary ? input.address : undefined),
  );
}

export function makeEmailPrimary(deps: CrmDeps, actor: Actor, id: string, emailId: string): Promise<ContactView> {
  return changeEmails(deps, actor, id, 'contact.email_primary', async (trx, contactId) => {
    await setPrimaryEmail(trx, contactId, emailId);
    return [];
  });
}

export function deleteContactEmail(deps: CrmDeps, actor: Actor, id: string, emailId: string): Promise<ContactView> {
  return changeEmails(deps, actor, id, 'contact.email_remove', async (trx, contactId) => {
    await removeContactEmail(trx, contactId, emailId);
    return [];
  });
}
