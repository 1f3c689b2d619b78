import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import { assertExists, resolveOwner } from '../shared/access.ts';
import { formatCents, lineCents, normaliseMoney } from '../shared/money.ts';
import { editableRecord } from '../shared/records.ts';
import { type Actor, changeAudit, commitWrite, type CrmDeps } from '../shared/write.ts';
import type { PurchaseItem } from '../tables.ts';
import type { PurchaseView } from './presenter.ts';
import { purchaseRecord } from './record.ts';
import { findPurchase, insertPurchase, updatePurchase } from './repository.ts';

export interface PurchaseItemInput {
  name: string;
  quantity: string;
  unitPrice: string;
}

export interface PurchaseCreateInput {
  companyId?: string | null | undefined;
  contactId?: string | null | undefined;
  purchasedOn: string;
  items: PurchaseItemInput[];
  /** Default: the sum of quantity × unitPrice. */
  amount?: string | undefined;
  currency: string;
  notes?: string | null | undefined;
  ownerId?: string | undefined;
}

export type PurchaseChangeInput = Partial<PurchaseCreateInput>;

/** Items in storage form, and their total in cents (exact decimal arithmetic). */
function storeItems(list: PurchaseItemInput[]): { items: PurchaseItem[]; total: string } {
  const stored = list.map((i) => ({ name: i.name, quantity: i.quantity, unit_price: normaliseMoney(i.unitPrice) }));
  const cents = stored.reduce((sum, i) => sum + lineCents(i.quantity, i.unit_price), 0n);
  return { items: stored, total: formatCents(cents) };
}

function assertLinked(companyId: string | null | undefined, contactId: string | null | undefined): void {
  if (!companyId && !contactId) throw new CrmError('purchase_unlinked', 'A purchase belongs to a company, a contact or both.');
}

async function assertLinksExist(deps: CrmDeps, input: PurchaseChangeInput): Promise<void> {
  await assertExists(deps.db, 'companies', input.companyId, 'unknown_company');
  await assertExists(deps.db, 'contacts', input.contactId, 'unknown_contact');
}

async function presented(trx: Transaction<Database>, id: string): Promise<PurchaseView> {
  return purchaseRecord.present((await findPurchase(trx, id))!);
}

/** Records a purchase by a company and/or a contact. */
export async function createPurchase(deps: CrmDeps, actor: Actor, input: PurchaseCreateInput): Promise<PurchaseView> {
  assertLinked(input.companyId, input.contactId);
  await assertLinksExist(deps, input);
  const ownerUserId = await resolveOwner(deps.db, actor.user, input.ownerId);
  const stored = storeItems(input.items);
  return commitWrite(deps, actor, async (trx) => {
    const id = await insertPurchase(trx, {
      companyId: input.companyId ?? null,
      contactId: input.contactId ?? null,
      purchasedOn: input.purchasedOn,
      items: stored.items,
      amount: input.amount ?? stored.total,
      currency: input.currency,
      notes: input.notes ?? null,
      ownerUserId,
    });
    return { result: await presented(trx, id), audit: { action: 'purchase.create', targetType: 'purchase', targetId: id } };
  });
}

/** Changes a purchase; new `items` without `amount` recompute the amount. */
export async function changePurchase(deps: CrmDeps, actor: Actor, id: string, input: PurchaseChangeInput): Promise<PurchaseView> {
  const existing = await editableRecord(deps.db, purchaseRecord, actor, id);
  assertLinked(
    input.companyId === undefined ? existing.company_id : input.companyId,
    input.contactId === undefined ? existing.contact_id : input.contactId,
  );
  await assertLinksExist(deps, input);
  const ownerUserId = input.ownerId === undefined ? undefined : await resolveOwner(deps.db, actor.user, input.ownerId);
  const stored = input.items ? storeItems(input.items) : null;
  return commitWrite(deps, actor, async (trx) => {
    await updatePurchase(trx, existing.id, {
      companyId: input.companyId,
      contactId: input.contactId,
      purchasedOn: input.purchasedOn,
      items: stored?.items,
      amount: input.amount ?? stored?.total,
      currency: input.currency,
      notes: input.notes,
      ownerUserId,
    });
    return {
      result: await presented(trx, existing.id),
      audit: changeAudit('purchase', existing.id, input),
    };
  });
}
