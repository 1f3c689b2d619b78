import { z } from 'zod';
import { changeContact, createContact } from '../../crm/contacts/commands.ts';
import { contactSchema } from '../../crm/contacts/presenter.ts';
import { contactRecord } from '../../crm/contacts/record.ts';
import { contactSortFields, normaliseTags } from '../../crm/contacts/repository.ts';
import { withBounceMarks } from '../../bounces/index.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema } from '../schemas.ts';
import { crmRecordRoutes } from './crm-record-routes.ts';
import { listQuery, searchText, optionalText, recordName, uuid } from './crm-schemas.ts';

export const phoneSchema = z.union([
  z
    .string()
    .trim()
    .min(1)
    .max(50)
    .transform((number) => ({ label: null, number })),
  z.strictObject({ label: z.string().trim().max(50).nullable().default(null), number: z.string().trim().min(1).max(50) }),
]);
const tags = z.array(z.string().trim().min(1).max(50)).max(50).transform(normaliseTags);
const phones = z.array(phoneSchema).max(20);

export function crmContactRoutes(context: RouteContext): void {
  crmRecordRoutes(context, {
    path: '/api/v1/contacts',
    record: contactRecord,
    item: contactSchema,
    forReader: withBounceMarks,
    query: listQuery(contactSortFields, 'name', {
      q: searchText,
      companyId: uuid.optional(),
      ownerId: uuid.optional(),
      tag: z.string().trim().min(1).max(50).optional(),
    }),
    create: {
      description: 'Creates a contact; the first of `emails` is the primary address.',
      body: z.strictObject({
        name: recordName,
        emails: z.array(emailSchema).max(20).default([]),
        companyId: uuid.nullable().optional(),
        title: optionalText(200),
        phones: phones.default([]),
        tags: tags.default([]),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      run: createContact,
    },
    change: {
      description: 'Changes fields; `phones` and `tags` replace the whole list. Addresses are changed under /emails.',
      body: z.strictObject({
        name: recordName.optional(),
        companyId: uuid.nullable().optional(),
        title: optionalText(200),
        phones: phones.optional(),
        tags: tags.optional(),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      run: changeContact,
    },
  });
}
