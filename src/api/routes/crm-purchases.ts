import { z } from 'zod';
import { changePurchase, createPurchase } from '../../crm/purchases/commands.ts';
import { purchaseSchema } from '../../crm/purchases/presenter.ts';
import { purchaseRecord } from '../../crm/purchases/record.ts';
import { purchaseSortFields } from '../../crm/purchases/repository.ts';
import { QUANTITY_PATTERN } from '../../crm/shared/money.ts';
import type { RouteContext } from '../context.ts';
import { crmRecordRoutes } from './crm-record-routes.ts';
import { currency, isoDate, listQuery, money, optionalText, uuid } from './crm-schemas.ts';

const item = z.strictObject({
  name: z.string().trim().min(1).max(300),
  quantity: z
    .union([z.string().trim(), z.number().transform(String)])
    .pipe(z.string().regex(QUANTITY_PATTERN, { message: 'must be a positive number with at most 3 decimals' })),
  unitPrice: money,
});
const items = z.array(item).max(500);

export function crmPurchaseRoutes(context: RouteContext): void {
  crmRecordRoutes(context, {
    path: '/api/v1/purchases',
    record: purchaseRecord,
    item: purchaseSchema,
    query: listQuery(purchaseSortFields, '-purchasedOn', {
      companyId: uuid.optional(),
      contactId: uuid.optional(),
      ownerId: uuid.optional(),
    }),
    create: {
      description: 'Records a purchase by a company and/or a contact. `amount` defaults to the sum of quantity × unitPrice.',
      body: z.strictObject({
        companyId: uuid.nullable().optional(),
        contactId: uuid.nullable().optional(),
        purchasedOn: isoDate,
        items: items.default([]),
        amount: money.optional(),
        currency,
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      run: createPurchase,
    },
    change: {
      description: 'Changes fields; new `items` without `amount` recompute the amount.',
      body: z.strictObject({
        companyId: uuid.nullable().optional(),
        contactId: uuid.nullable().optional(),
        purchasedOn: isoDate.optional(),
        items: items.optional(),
        amount: money.optional(),
        currency: currency.optional(),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      run: changePurchase,
    },
  });
}
