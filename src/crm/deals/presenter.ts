import { z } from 'zod';
import { isoOrNull, recordPresenter, recordSchema, storedFields } from '../shared/presenter.ts';
import type { DealRow } from './repository.ts';

export const dealSchema = recordSchema({
  name: z.string(),
  companyId: z.string().nullable(),
  contactIds: z.array(z.string()),
  /** Decimal string ("12345.60"): never a float. */
  amount: z.string(),
  currency: z.string(),
  stageId: z.string(),
  status: z.enum(['open', 'won', 'lost']),
  lostReason: z.string().nullable(),
  expectedCloseDate: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export type DealView = z.infer<typeof dealSchema>;

export const presentDeal = recordPresenter(dealSchema, (row: DealRow) => ({
  ...storedFields(row, ['name', 'companyId', 'contactIds', 'amount', 'currency', 'stageId', 'status', 'lostReason', 'expectedCloseDate']),
  closedAt: isoOrNull(row.closed_at),
}));
