import { z } from 'zod';
import { changeContact, createContact } from '../../crm/contacts/commands.ts';
import { contactSchema } from '../../crm/contacts/presenter.ts';
import { contactRecord } from '../../crm/contacts/record.ts';
import { contactSortFields, normaliseTags } from '../../crm/contacts/repository.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { crmDeps, crmRecordRoutes } from './crm-record-routes.ts';
import { listQuery, optionalText, recordName, uuid } from './crm-schemas.ts';

export const phoneSchema = z.union([
  z.string().trim().min(1).max(50).transform((number) => ({ label: null, number })),
  z.strictObject({ label: z.string().trim().max(50).nullable().default(null), number: z.string().trim().min(1).max(50) }),
]);
const tags = z.array(z.string().trim().min(1).max(50)).max(50).transform(normaliseTags);
const one = z.object({ contact: contactSchema });

export function crmContactRoutes(context: RouteContext): void {
  const { app } = context;
  const deps = crmDeps(context);
  crmRecordRoutes(context, {
    path: '/api/v1/contacts',
    key: 'contact',
    record: contactRecord,
    item: contactSchema,
    query: listQuery(contactSortFields, 'name', {
      q: z.string().trim().min(1).max(200).optional(),
      companyId: uuid.optional(),
      ownerId: uuid.optional(),
      tag: z.string().trim().min(1).max(50).optional(),
    }),
  });

  app.post('/api/v1/contacts', {
    schema: {
      tags: ['crm'],
      description: 'Creates a contact; the first of `emails` is the primary address.',
      body: z.strictObject({
        name: recordName,
        emails: z.array(emailSchema).max(20).default([]),
        companyId: uuid.nullable().optional(),
        title: optionalText(200),
        phones: z.array(phoneSchema).max(20).default([]),
        tags: tags.default([]),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      response: { 201: one },
    },
  }, async (request, reply) => reply.code(201).send({ contact: await createContact(deps, actorOf(request), request.body) }));

  app.patch('/api/v1/contacts/:id', {
    schema: {
      tags: ['crm'],
      description: 'Changes fields; `phones` and `tags` replace the whole list. Addresses are changed under /emails.',
      params: uuidParam,
      body: z.strictObject({
        name: recordName.optional(),
        companyId: uuid.nullable().optional(),
        title: optionalText(200),
        phones: z.array(phoneSchema).max(20).optional(),
        tags: tags.optional(),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      response: { 200: one },
    },
  }, async (request) => ({ contact: await changeContact(deps, actorOf(request), request.params.id, request.body) }));
}
