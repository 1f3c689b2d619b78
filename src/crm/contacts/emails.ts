import { type Kysely, sql, type Transaction } from 'kysely';
import { DomainError, isUniqueViolation } from '../../kernel/index.ts';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import type { CrmEvent } from '../events.ts';

/** Addresses are stored lowercased: mail matching is case-insensitive in practice, whatever RFC 5321 allows. */
export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

const emailInUse = () => new CrmError('email_in_use', 'This email address already belongs to another contact.');
const emailNotFound = () => new DomainError('not_found', 'The email address does not exist on this contact.');

/**
 * Gives a contact new addresses. An address that belongs to another contact is a 409 that names nothing
 * about that contact (the caller may not be allowed to see whose address it is).
 */
export async function addContactEmails(
  trx: Transaction<Database>,
  contactId: string,
  addresses: string[],
  primary?: string,
): Promise<CrmEvent[]> {
  const wanted = [...new Set(addresses.map(normaliseAddress))];
  if (!wanted.length) return [];
  const taken = await trx.selectFrom('contact_emails').select(['address', 'contact_id']).where('address', 'in', wanted).execute();
  if (taken.some((t) => t.contact_id !== contactId)) throw emailInUse();
  const fresh = wanted.filter((a) => !taken.some((t) => t.address === a));
  const hasPrimary = await trx
    .selectFrom('contact_emails')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('is_primary', '=', true)
    .executeTakeFirst();
  const primaryAddress = primary ? normaliseAddress(primary) : hasPrimary ? null : wanted[0]!;
  if (primaryAddress && hasPrimary)
    await trx.updateTable('contact_emails').set({ is_primary: false }).where('contact_id', '=', contactId).execute();
  try {
    if (fresh.length) {
      await trx
        .insertInto('contact_emails')
        .values(fresh.map((address) => ({ contact_id: contactId, address, is_primary: address === primaryAddress })))
        .execute();
    }
  } catch (error) {
    // Another request took the address between our check and the insert.
    if (isUniqueViolation(error)) throw emailInUse();
    throw error;
  }
  if (primaryAddress && !fresh.includes(primaryAddress)) {
    await trx
      .updateTable('contact_emails')
      .set({ is_primary: true })
      .where('contact_id', '=', contactId)
      .where('address', '=', primaryAddress)
      .execute();
  }
  return fresh.map((address) => ({ type: 'contact.email_added', data: { contactId, address } }));
}

export async function setPrimaryEmail(trx: Transaction<Database>, contactId: string, emailId: string): Promise<void> {
  await trx.updateTable('contact_emails').set({ is_primary: false }).where('contact_id', '=', contactId).execute();
  const done = await trx
    .updateTable('contact_emails')
    .set({ is_primary: true })
    .where('contact_id', '=', contactId)
    .where('id', '=', emailId)
    .executeTakeFirst();
  if (!done.numUpdatedRows) throw emailNotFound();
}

/** Removes one address; when it was the primary, the oldest remaining one becomes primary. */
export async function removeContactEmail(trx: Transaction<Database>, contactId: string, emailId: string): Promise<string> {
  const removed = await trx
    .deleteFrom('contact_emails')
    .where('contact_id', '=', contactId)
    .where('id', '=', emailId)
    .returning(['address', 'is_primary'])
    .executeTakeFirst();
  if (!removed) throw emailNotFound();
  if (removed.is_primary) {
    await trx
      .updateTable('contact_emails')
      .set({ is_primary: true })
      .where('id', '=', (eb) =>
        eb.selectFrom('contact_emails').select('id').where('contact_id', '=', contactId).orderBy('created_at').orderBy('address').limit(1),
      )
      .execute();
  }
  return removed.address;
}

/**
 * For the linker: which contact owns each of these addresses. Keys are the lowercased addresses; an
 * address no contact has is absent.
 */
export async function findContactIdsByEmails(db: Kysely<Database>, addresses: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(addresses.map(normaliseAddress))].filter(Boolean);
  if (!wanted.length) return new Map();
  const rows = await db
    .selectFrom('contact_emails')
    .select(['address', 'contact_id'])
    .where('address', '=', sql<string>`any(${wanted}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.address, r.contact_id]));
}
