import { z } from 'zod';
import type { DealRow } from './repository.ts';

export const dealSchema = z.object({
  id: z.string(),
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
  ownerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type DealView = z.infer<typeof dealSchema>;

export function presentDeal(row: DealRow): DealView {
  return {
    id: row.id,
    name: row.name,
    companyId: row.company_id,
    contactIds: row.contact_ids,
    amount: row.amount,
    currency: row.currency,
    stageId: row.stage_id,
    status: row.status,
    lostReason: row.lost_reason,
    expectedCloseDate: row.expected_close_date,
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
    ownerId: row.owner_user_id,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
