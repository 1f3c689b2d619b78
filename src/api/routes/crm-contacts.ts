import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { addContactEmails } from '../../crm/contacts/emails.ts';
import { contactSchema, presentContact } from '../../crm/contacts/presenter.ts';
import { contactSortFields, deleteContact, findContact, insertContact, listContacts, normaliseTags, updateContact } from '../../crm/contacts/repository.ts';
import { contactCreatedEvents, emitCrmEvents } from '../../crm/events.ts';
import { assertCanEdit, assertExists, resolveOwner } from '../../crm/shared/access.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, uuidParam } from '../schemas.ts';
import { listQuery, optionalText, page, pageArgs, recordName, uuid } from './crm-schemas.ts';

export const phoneSchema = z.union([
  z.string().trim().min(1).max(50).transform((number) => ({ label: null, number })),
  z.strictObject({ label: z.string().trim().max(50).nullable().default(null), number: z.string().trim().min(1).max(50) }),
]);
const tags = z.array(z.string().trim().min(1).max(50)).max(50).transform(normaliseTags);
const one = z.object({ contact: contactSchema });

export function crmContactRoutes({ app, db, services }: RouteContext): void {
  app.get('/api/v1/contacts', {
    schema: {
      tags: ['crm'],
      querystring: listQuery(contactSortFields, 'name', {
        q: z.string().trim().min(1).max(200).optional(),
        companyId: uuid.optional(),
        ownerId: uuid.optional(),
        tag: z.string().trim().min(1).max(50).optional(),
      }),
      response: { 200: page(contactSchema) },
    },
  }, async (request) => {
    requireUser(request);
    const { spec, cursor, limit } = pageArgs(request.query, contactSortFields, 'c.id');
    const { rows, nextCursor } = await listContacts(db, request.query, spec, cursor, limit);
    return { items: rows.map(presentContact), nextCursor };
  });

  app.get('/api/v1/contacts/:id', { schema: { tags: ['crm'], params: uuidParam, response: { 200: one } } }, async (request) => {
    requireUser(request);
    const row = await findContact(db, request.params.id);
    if (!row) throw new NotFoundError('contact');
    return { contact: presentContact(row) };
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
  }, async (request, reply) => {
    const user = requireUser(request);
    const b = request.body;
    const ownerUserId = await resolveOwner(db, user, b.ownerId);
    await assertExists(db, 'companies', b.companyId, 'unknown_company');
    const { row, events } = await db.transaction().execute(async (trx) => {
      const id = await insertContact(trx, { name: b.name, companyId: b.companyId ?? null, title: b.title ?? null, phones: b.phones, ownerUserId, tags: b.tags, notes: b.notes ?? null });
      const added = await addContactEmails(trx, id, b.emails);
      await recordAudit(trx, { actorUserId: user.id, action: 'contact.create', targetType: 'contact', targetId: id, ip: request.ip });
      return { row: (await findContact(trx, id))!, events: contactCreatedEvents(id, added.map((e) => (e.data as { address: string }).address)) };
    });
    emitCrmEvents(services.events, events);
    return reply.code(201).send({ contact: presentContact(row) });
  });

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
  }, async (request) => {
    const user = requireUser(request);
    const existing = await findContact(db, request.params.id);
    if (!existing) throw new NotFoundError('contact');
    assertCanEdit(user, existing.owner_user_id);
    const b = request.body;
    const ownerUserId = b.ownerId === undefined ? undefined : await resolveOwner(db, user, b.ownerId);
    await assertExists(db, 'companies', b.companyId, 'unknown_company');
    const row = await db.transaction().execute(async (trx) => {
      await updateContact(trx, existing.id, { name: b.name, companyId: b.companyId, title: b.title, phones: b.phones, tags: b.tags, notes: b.notes, ownerUserId });
      await recordAudit(trx, { actorUserId: user.id, action: 'contact.update', targetType: 'contact', targetId: existing.id, ip: request.ip, detail: { changed: Object.keys(b) } });
      return (await findContact(trx, existing.id))!;
    });
    return { contact: presentContact(row) };
  });

  app.delete('/api/v1/contacts/:id', { schema: { tags: ['crm'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const existing = await findContact(db, request.params.id);
    if (!existing) throw new NotFoundError('contact');
    assertCanEdit(user, existing.owner_user_id);
    await db.transaction().execute(async (trx) => {
      await deleteContact(trx, existing.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'contact.delete', targetType: 'contact', targetId: existing.id, ip: request.ip });
    });
    return reply.code(204).send();
  });
}
