import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { addContactEmails, removeContactEmail, setPrimaryEmail } from '../../crm/contacts/emails.ts';
import { contactSchema, presentContact } from '../../crm/contacts/presenter.ts';
import { findContact } from '../../crm/contacts/repository.ts';
import { emitCrmEvents } from '../../crm/events.ts';
import { assertCanEdit } from '../../crm/shared/access.ts';
import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, uuidParam } from '../schemas.ts';
import { uuid } from './crm-schemas.ts';

const emailParams = z.strictObject({ id: uuid, emailId: uuid });
const one = z.object({ contact: contactSchema });

export function crmContactEmailRoutes({ app, db, services }: RouteContext): void {
  async function editable(request: FastifyRequest, id: string) {
    const user = requireUser(request);
    const contact = await findContact(db, id);
    if (!contact) throw new NotFoundError('contact');
    assertCanEdit(user, contact.owner_user_id);
    return { user, contact };
  }

  app.post('/api/v1/contacts/:id/emails', {
    schema: {
      tags: ['crm'],
      description: 'Adds an address. 409 email_in_use when another contact has it.',
      params: uuidParam,
      body: z.strictObject({ address: emailSchema, isPrimary: z.boolean().default(false) }),
      response: { 201: one },
    },
  }, async (request, reply) => {
    const { user, contact } = await editable(request, request.params.id);
    const { address, isPrimary } = request.body;
    const { row, events } = await db.transaction().execute(async (trx) => {
      const events = await addContactEmails(trx, contact.id, [address], isPrimary ? address : undefined);
      await touch(trx, contact.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'contact.email_add', targetType: 'contact', targetId: contact.id, ip: request.ip });
      return { row: (await findContact(trx, contact.id))!, events };
    });
    emitCrmEvents(services.events, events);
    return reply.code(201).send({ contact: presentContact(row) });
  });

  app.patch('/api/v1/contacts/:id/emails/:emailId', {
    schema: { tags: ['crm'], params: emailParams, body: z.strictObject({ isPrimary: z.literal(true) }), response: { 200: one } },
  }, async (request) => {
    const { user, contact } = await editable(request, request.params.id);
    const row = await db.transaction().execute(async (trx) => {
      await setPrimaryEmail(trx, contact.id, request.params.emailId);
      await touch(trx, contact.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'contact.email_primary', targetType: 'contact', targetId: contact.id, ip: request.ip });
      return (await findContact(trx, contact.id))!;
    });
    return { contact: presentContact(row) };
  });

  app.delete('/api/v1/contacts/:id/emails/:emailId', { schema: { tags: ['crm'], params: emailParams, response: { 200: one } } }, async (request) => {
    const { user, contact } = await editable(request, request.params.id);
    const row = await db.transaction().execute(async (trx) => {
      await removeContactEmail(trx, contact.id, request.params.emailId);
      await touch(trx, contact.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'contact.email_remove', targetType: 'contact', targetId: contact.id, ip: request.ip });
      return (await findContact(trx, contact.id))!;
    });
    return { contact: presentContact(row) };
  });
}

async function touch(trx: Parameters<typeof findContact>[0], id: string): Promise<void> {
  await trx.updateTable('contacts').set({ updated_at: new Date() }).where('id', '=', id).execute();
}
