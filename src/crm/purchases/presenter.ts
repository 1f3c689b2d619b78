import { z } from 'zod';
import type { PurchaseRow } from './repository.ts';

export const purchaseSchema = z.object({
  id: z.string(),
  companyId: z.string().nullable(),
  contactId: z.string().nullable(),
  purchasedOn: z.string(),
  items: z.array(z.object({ name: z.string(), quantity: z.string(), unitPrice: z.string() })),
  amount: z.string(),
  currency: z.string(),
  ownerId: z.string(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type PurchaseView = z.infer<typeof purchaseSchema>;

export function presentPurchase(row: PurchaseRow): PurchaseView {
  return {
    id: row.id,
    companyId: row.company_id,
    contactId: row.contact_id,
    purchasedOn: row.purchased_on,
    items: row.items.map((i) => ({ name: i.name, quantity: i.quantity, unitPrice: i.unit_price })),
    amount: row.amount,
    currency: row.currency,
    ownerId: row.owner_user_id,
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
