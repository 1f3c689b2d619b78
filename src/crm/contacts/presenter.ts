import { z } from 'zod';
import { namedLink, recordPresenter, recordSchema, storedFields } from '../shared/presenter.ts';
import type { ContactRow } from './repository.ts';

export const contactSchema = recordSchema({
  name: z.string(),
  emails: z.array(z.object({ id: z.string(), address: z.string(), isPrimary: z.boolean() })),
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  title: z.string().nullable(),
  phones: z.array(z.object({ label: z.string().nullable(), number: z.string() })),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
});

export type ContactView = z.infer<typeof contactSchema>;

export const presentContact = recordPresenter(contactSchema, (row: ContactRow) => ({
  ...storedFields(row, ['name', 'emails', 'title', 'phones', 'tags', 'notes']),
  company: namedLink(row.company_id, row.company_name),
}));
