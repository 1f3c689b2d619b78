import { z } from 'zod';
import { namedLink, recordPresenter, recordSchema, storedFields } from '../shared/presenter.ts';
import type { ContactRow } from './repository.ts';

export const contactSchema = recordSchema({
  name: z.string(),
  emails: z.array(
    z.object({
      id: z.string(),
      address: z.string(),
      isPrimary: z.boolean(),
      // Filled per reader (src/bounces/queries.ts): null unless they see the mailbox that got the bounce.
      bouncingAt: z.string().nullable().describe('mail to this address bounced (a failed delivery report) at this time'),
      bounceReason: z.string().nullable().describe("the receiving server's answer, e.g. 550 5.1.1 user unknown"),
    }),
  ),
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  title: z.string().nullable(),
  phones: z.array(z.object({ label: z.string().nullable(), number: z.string() })),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
});

export type ContactView = z.infer<typeof contactSchema>;

export const presentContact = recordPresenter(contactSchema, (row: ContactRow) => ({
  ...storedFields(row, ['name', 'title', 'phones', 'tags', 'notes']),
  emails: row.emails.map((e) => ({ ...e, bouncingAt: null, bounceReason: null })),
  company: namedLink(row.company_id, row.company_name),
}));
