import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { addEntry, findEntry, listEntries, normaliseBlockValue, removeEntry, type BlocklistEntry } from '../../blocklist/index.ts';
import { ForbiddenError, NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';

const entrySchema = z.object({
  id: z.string(),
  scope: z.enum(['workspace', 'user']),
  kind: z.enum(['address', 'domain']),
  value: z.string(),
  createdAt: z.string(),
});

const present = (e: BlocklistEntry): z.infer<typeof entrySchema> => ({ id: e.id, scope: e.scope, kind: e.kind, value: e.value, createdAt: new Date(e.created_at).toISOString() });

/**
 * The blocklist. Workspace entries (admins only) hide mail from everyone and keep the linker from creating
 * contacts from it; user entries hide mail from their owner only. Removing an entry shows the mail again.
 */
export function blocklistRoutes({ app, db }: RouteContext): void {
  app.get('/api/v1/blocklist', { schema: { tags: ['blocklist'], response: { 200: z.object({ items: z.array(entrySchema) }) } } }, async (request) => {
    const user = requireUser(request);
    return { items: (await listEntries(db, user.id)).map(present) };
  });

  app.post('/api/v1/blocklist', {
    schema: {
      tags: ['blocklist'],
      body: z.strictObject({ scope: z.enum(['workspace', 'user']).default('user'), kind: z.enum(['address', 'domain']), value: z.string().min(1).max(254) }),
      response: { 201: z.object({ entry: entrySchema }) },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const b = request.body;
    if (b.scope === 'workspace' && user.role !== 'admin') throw new ForbiddenError('Only admins change the workspace blocklist.');
    const value = normaliseBlockValue(b.kind, b.value);
    const entry = await addEntry(db, { scope: b.scope, userId: user.id, kind: b.kind, value, createdBy: user.id });
    if (b.scope === 'workspace') await recordAudit(db, { actorUserId: user.id, action: 'blocklist.add', targetType: 'blocklist_entry', targetId: entry.id, ip: request.ip, detail: { kind: b.kind, value } });
    return reply.code(201).send({ entry: present(entry) });
  });

  app.delete('/api/v1/blocklist/:id', { schema: { tags: ['blocklist'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const entry = await findEntry(db, request.params.id);
    // Another user's entry does not exist for this caller.
    if (!entry || (entry.scope === 'user' && entry.user_id !== user.id)) throw new NotFoundError('blocklist entry');
    if (entry.scope === 'workspace' && user.role !== 'admin') throw new ForbiddenError('Only admins change the workspace blocklist.');
    await removeEntry(db, entry.id);
    if (entry.scope === 'workspace') await recordAudit(db, { actorUserId: user.id, action: 'blocklist.remove', targetType: 'blocklist_entry', targetId: entry.id, ip: request.ip, detail: { kind: entry.kind, value: entry.value } });
    return reply.code(204).send();
  });
}
