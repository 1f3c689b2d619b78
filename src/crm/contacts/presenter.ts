import { z } from 'zod';
import type { ContactRow } from './repository.ts';

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  emails: z.array(z.object({ id: z.string(), address: z.string(), isPrimary: z.boolean() })),
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  title: z.string().nullable(),
  phones: z.array(z.object({ label: z.string().nullable(), number: z.string() })),
  ownerId: z.string(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type ContactView = z.infer<typeof contactSchema>;

export function presentContact(row: ContactRow): ContactView {
  return {
    id: row.id,
    name: row.name,
    emails: row.emails,
    company: row.company_id && row.company_name !== null ? { id: row.company_id, name: row.company_name } : null,
    title: row.title,
    phones: row.phones,
    ownerId: row.owner_user_id,
    tags: row.tags,
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
