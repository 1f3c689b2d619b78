import { z } from 'zod';
import { changeDeal, createDeal } from '../../crm/deals/commands.ts';
import { dealSchema } from '../../crm/deals/presenter.ts';
import { dealRecord } from '../../crm/deals/record.ts';
import { dealSortFields } from '../../crm/deals/repository.ts';
import type { RouteContext } from '../context.ts';
import { crmRecordRoutes } from './crm-record-routes.ts';
import { currency, isoDate, listQuery, searchText, money, optionalText, recordName, uuid } from './crm-schemas.ts';

const contactIds = z.array(uuid).max(100);

export function crmDealRoutes(context: RouteContext): void {
  crmRecordRoutes(context, {
    path: '/api/v1/deals',
    record: dealRecord,
    item: dealSchema,
    query: listQuery(dealSortFields, '-updatedAt', {
      q: searchText,
      stageId: uuid.optional(),
      status: z.enum(['open', 'won', 'lost']).optional(),
      ownerId: uuid.optional(),
      companyId: uuid.optional(),
      contactId: uuid.optional(),
    }),
    create: {
      description: 'Creates a deal in `stageId` (default: the first open stage). A lost stage needs `lostReason`.',
      body: z.strictObject({
        name: recordName,
        companyId: uuid.nullable().optional(),
        contactIds: contactIds.default([]),
        amount: money.default('0.00'),
        currency,
        stageId: uuid.optional(),
        expectedCloseDate: isoDate.nullable().optional(),
        lostReason: optionalText(2000),
        ownerId: uuid.optional(),
      }),
      run: createDeal,
    },
    change: {
      description:
        'Changes fields; moving to a won/lost stage closes the deal (lost needs `lostReason`), back to an open stage reopens it.',
      body: z.strictObject({
        name: recordName.optional(),
        companyId: uuid.nullable().optional(),
        contactIds: contactIds.optional(),
        amount: money.optional(),
        currency: currency.optional(),
        stageId: uuid.optional(),
        expectedCloseDate: isoDate.nullable().optional(),
        lostReason: optionalText(2000),
        ownerId: uuid.optional(),
      }),
      run: changeDeal,
    },
  });
}
