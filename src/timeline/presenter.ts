import { z } from 'zod';
import { activitySchema } from '../crm/activities/presenter.ts';
import { dealSchema } from '../crm/deals/presenter.ts';
import { purchaseSchema } from '../crm/purchases/presenter.ts';

const address = z.object({ name: z.string().nullable(), address: z.string() });

/** An email on a timeline: the store's message summary, cut to the reader's access to its mailbox. */
const emailSummarySchema = z.object({
  id: z.string(),
  mailboxId: z.string(),
  threadId: z.string().nullable(),
  access: z.enum(['full', 'subject', 'metadata']),
  date: z.string().nullable(),
  from: z.array(address),
  to: z.array(address),
  cc: z.array(address),
  subject: z.string().nullable().describe('null when the mailbox shares only who and when'),
  snippet: z.string().nullable().describe('null unless the mailbox shares its full content'),
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  draft: z.boolean(),
  hasAttachments: z.boolean().nullable(),
  size: z.number().nullable().describe('null when the mailbox shares only who and when'),
  labels: z.array(z.string()).describe('Gmail labels; [] unless the mailbox shares its full content'),
});

const head = { at: z.string(), id: z.string() };

export const timelineItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), ...head, email: emailSummarySchema }),
  z.object({ kind: z.enum(['note', 'task', 'call']), ...head, activity: activitySchema }),
  z.object({ kind: z.literal('deal'), ...head, deal: dealSchema }),
  z.object({ kind: z.literal('purchase'), ...head, purchase: purchaseSchema }),
]);
