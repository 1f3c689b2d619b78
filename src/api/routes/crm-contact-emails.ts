import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { addContactEmail, deleteContactEmail, makeEmailPrimary } from '../../crm/contacts/commands.ts';
import { contactSchema } from '../../crm/contacts/presenter.ts';
import { withBounceMarks } from '../../bounces/index.ts';
import type { ContactView } from '../../crm/contacts/presenter.ts';
import type { RouteContext } from '../context.ts';
import { emailSchema, uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { crmDeps } from './crm-record-routes.ts';
import { problems, uuid } from './crm-schemas.ts';

const emailParams = z.strictObject({ id: uuid, emailId: uuid });
const one = z.object({ contact: contactSchema });

export function crmContactEmailRoutes(context: RouteContext): void {
  const { app, db } = context;
  const deps = crmDeps(context);
  // Bouncing marks as this reader may see them (src/bounces/queries.ts).
  const seenBy = async (request: FastifyRequest, contact: ContactView) => ({
    contact: (await withBounceMarks(db, requireUser(request).id, [contact]))[0]!,
  });

  app.post(
    '/api/v1/contacts/:id/emails',
    {
      schema: {
        tags: ['crm'],
        description: 'Adds an address. 409 email_in_use when another contact has it.',
        params: uuidParam,
        body: z.strictObject({ address: emailSchema, isPrimary: z.boolean().default(false) }),
        response: { 201: one, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await seenBy(request, await addContactEmail(deps, actorOf(request), request.params.id, request.body))),
  );

  app.patch(
    '/api/v1/contacts/:id/emails/:emailId',
    {
      schema: {
        tags: ['crm'],
        params: emailParams,
        body: z.strictObject({ isPrimary: z.literal(true) }),
        response: { 200: one, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => seenBy(request, await makeEmailPrimary(deps, actorOf(request), request.params.id, request.params.emailId)),
  );

  app.delete(
    '/api/v1/contacts/:id/emails/:emailId',
    { schema: { tags: ['crm'], params: emailParams, response: { 200: one, ...problems(401, 403, 404) } } },
    async (request) => seenBy(request, await deleteContactEmail(deps, actorOf(request), request.params.id, request.params.emailId)),
  );
}
