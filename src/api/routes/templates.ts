import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  presentTemplate,
  readTemplate,
  renderForRecords,
  updateTemplate,
} from '../../outbox/templates.ts';
import type { RouteContext } from '../context.ts';
import { noContentRoute } from '../no-content-route.ts';
import { actorOf } from '../request-actor.ts';
import { problemResponses, uuidParam } from '../schemas.ts';
import { renderedTemplateSchema, renderTemplateInputSchema, templateInputSchema, templateSchema } from './outbox-schemas.ts';

const t = templateInputSchema.shape;
/** PATCH: only the fields given change (no defaults). */
const patchBody = z.strictObject({
  name: t.name.optional(),
  language: t.language.unwrap().optional(),
  subject: t.subject.unwrap().optional(),
  html: t.html.unwrap().optional(),
  shared: t.shared.unwrap().optional(),
});

/** Message templates: personal (anyone) and shared (admins write), with merge fields filled from records. */
export function templateRoutes({ app, db }: RouteContext): void {
  app.get(
    '/api/v1/templates',
    {
      schema: {
        tags: ['templates'],
        description: "The caller's personal templates and the shared ones.",
        response: { 200: z.object({ items: z.array(templateSchema) }), ...problemResponses(401) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { items: (await listTemplates(db, user)).map((r) => presentTemplate(r, user)) };
    },
  );

  app.post(
    '/api/v1/templates',
    {
      schema: {
        tags: ['templates'],
        description: 'A personal template, or a shared one (admins).',
        body: templateInputSchema,
        response: { 201: templateSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      return reply.code(201).send(presentTemplate(await createTemplate(db, actor, request.body), actor.user));
    },
  );

  app.get(
    '/api/v1/templates/:id',
    { schema: { tags: ['templates'], params: uuidParam, response: { 200: templateSchema, ...problemResponses(401, 404) } } },
    async (request) => {
      const user = requireUser(request);
      return presentTemplate(await readTemplate(db, user, request.params.id), user);
    },
  );

  app.patch(
    '/api/v1/templates/:id',
    {
      schema: {
        tags: ['templates'],
        description: 'Its owner changes a personal template, an admin a shared one; anyone else: template_not_editable.',
        params: uuidParam,
        body: patchBody,
        response: { 200: templateSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return presentTemplate(await updateTemplate(db, actor, request.params.id, request.body), actor.user);
    },
  );

  noContentRoute(
    app,
    'DELETE',
    '/api/v1/templates/:id',
    'Deleted.',
    {
      tags: ['templates'],
      params: uuidParam,
      response: problemResponses(401, 403, 404),
    },
    (request) => deleteTemplate(db, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/templates/:id/render',
    {
      schema: {
        tags: ['templates'],
        description:
          'The subject and HTML filled from a contact, company and deal (values HTML-escaped in the HTML); fields they cannot fill stay as {{field}} and are listed in missing.',
        params: uuidParam,
        body: renderTemplateInputSchema,
        response: { 200: renderedTemplateSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => renderForRecords(db, requireUser(request), request.params.id, request.body),
  );
}
