import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { findDeal } from '../../crm/deals/repository.ts';
import { assertCanEdit } from '../../crm/shared/access.ts';
import { linkDealThread, unlinkDealThread } from '../../linking/index.ts';
import { readableMailboxes } from '../../store/visibility.ts';
import { readTimeline, type TimelineOf } from '../../timeline/index.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';

const pageQuery = z.strictObject({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Timelines of contacts, companies and deals, and linking a thread to a deal by hand. */
export function timelineRoutes({ app, db }: RouteContext): void {
  const tables = { contact: 'contacts', company: 'companies', deal: 'deals' } as const;
  for (const [kind, path] of [['contact', 'contacts'], ['company', 'companies'], ['deal', 'deals']] as const) {
    app.get(`/api/v1/${path}/:id/timeline`, {
      schema: {
        tags: ['timeline'],
        description: `Newest first: emails the caller may see (cut to each mailbox's visibility), notes, tasks, calls, deals${kind === 'deal' ? '' : ' and purchases'}. Keyset-paginated with \`cursor\`.`,
        params: uuidParam,
        querystring: pageQuery,
      },
    }, async (request) => {
      const user = requireUser(request);
      const exists = await db.selectFrom(tables[kind]).select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!exists) throw new NotFoundError(kind);
      const of: TimelineOf = { kind, id: request.params.id };
      return readTimeline(db, user.id, of, request.query);
    });
  }

  const threadParams = z.strictObject({ id: z.uuid(), threadId: z.uuid() });

  app.post('/api/v1/deals/:id/threads', {
    schema: { tags: ['timeline'], description: 'Links a mail thread to the deal (its mail then shows on the deal timeline).', params: uuidParam, body: z.strictObject({ threadId: z.uuid() }) },
  }, async (request, reply) => {
    const user = requireUser(request);
    const deal = await findDeal(db, request.params.id);
    if (!deal) throw new NotFoundError('deal');
    assertCanEdit(user, deal.owner_user_id);
    const thread = await db.selectFrom('threads').select(['id', 'mailbox_id']).where('id', '=', request.body.threadId).executeTakeFirst();
    // A thread in a mailbox the caller cannot see does not exist for them.
    if (!thread || !(await readableMailboxes(db, user.id, [thread.mailbox_id])).size) throw new NotFoundError('thread');
    await linkDealThread(db, deal.id, thread.id, user.id);
    await recordAudit(db, { actorUserId: user.id, action: 'deal.thread_link', targetType: 'deal', targetId: deal.id, ip: request.ip, detail: { threadId: thread.id } });
    return reply.code(201).send({ dealId: deal.id, threadId: thread.id });
  });

  app.delete('/api/v1/deals/:id/threads/:threadId', { schema: { tags: ['timeline'], params: threadParams } }, async (request, reply) => {
    const user = requireUser(request);
    const deal = await findDeal(db, request.params.id);
    if (!deal) throw new NotFoundError('deal');
    assertCanEdit(user, deal.owner_user_id);
    if (!(await unlinkDealThread(db, deal.id, request.params.threadId))) throw new NotFoundError('deal thread');
    await recordAudit(db, { actorUserId: user.id, action: 'deal.thread_unlink', targetType: 'deal', targetId: deal.id, ip: request.ip, detail: { threadId: request.params.threadId } });
    return reply.code(204).send();
  });
}
