import { z } from 'zod';
import { recordPresenter, recordSchema, storedFields } from '../shared/presenter.ts';
import type { PurchaseRow } from './repository.ts';

export const purchaseSchema = recordSchema({
  companyId: z.string().nullable(),
  contactId: z.string().nullable(),
  purchasedOn: z.string(),
  items: z.array(z.object({ name: z.string(), quantity: z.string(), unitPrice: z.string() })),
  amount: z.string(),
  currency: z.string(),
  notes: z.string().nullable(),
});

export type PurchaseView = z.infer<typeof purchaseSchema>;

export const presentPurchase = recordPresenter(purchaseSchema, (row: PurchaseRow) => ({
  ...storedFields(row, ['companyId', 'contactId', 'purchasedOn', 'amount', 'currency', 'notes']),
  items: row.items.map((i) => ({ name: i.name, quantity: i.quantity, unitPrice: i.unit_price })),
}));
