import { z } from 'zod';
import { activitySchema } from '../crm/activities/presenter.ts';
import { dealSchema } from '../crm/deals/presenter.ts';
import { purchaseSchema } from '../crm/purchases/presenter.ts';
import { messageSummarySchema } from '../store/message-schemas.ts';

const head = { at: z.string(), id: z.string() };

export const timelineItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), ...head, email: messageSummarySchema }),
  z.object({ kind: z.enum(['note', 'task', 'call']), ...head, activity: activitySchema }),
  z.object({ kind: z.literal('deal'), ...head, deal: dealSchema }),
  z.object({ kind: z.literal('purchase'), ...head, purchase: purchaseSchema }),
]);
