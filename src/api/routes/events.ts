import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import type { AnyEvent } from '../../events/index.ts';
import { ownsMailbox } from '../../store/visibility.ts';
import type { RouteContext } from '../context.ts';

const HEARTBEAT_MS = 25_000;

/**
 * GET /api/v1/events: server-sent events for the signed-in user, limited to the mailboxes they own and the
 * events addressed to them (`userId`).
 * Ownership is checked per mailbox the first time one of its events passes, then cached for the stream.
 */
export function eventRoutes({ app, db, services }: RouteContext): void {
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        description:
          'Server-sent events: message.created/updated/deleted, mailbox.status for the mailboxes you own; reminder.due for your tasks.',
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream: `event: <type>` and `data: <JSON>` lines') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const owned = new Map<string, Promise<boolean>>();
      const owns = (mailboxId: string) => {
        let p = owned.get(mailboxId);
        if (!p) {
          p = ownsMailbox(db, user.id, mailboxId).catch(() => false);
          owned.set(mailboxId, p);
        }
        return p;
      };
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      let chain = Promise.resolve();
      const unsubscribe = services.events.subscribe((event: AnyEvent) => {
        // Keep the order of events while ownership lookups are in flight.
        // Mail events go to the owner of their mailbox, events addressed to a user (reminder.due) to that
        // user; other events (CRM changes the linker listens to) are not streamed.
        const { mailboxId, userId } = event.data as { mailboxId?: unknown; userId?: unknown };
        if (typeof userId === 'string') {
          if (userId !== user.id) return;
          chain = chain.then(() => {
            if (!res.destroyed) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
          });
          return;
        }
        if (typeof mailboxId !== 'string') return;
        chain = chain.then(async () => {
          if (!(await owns(mailboxId)) || res.destroyed) return;
          res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
        });
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.raw.on('close', end);
      res.on('error', end);
    },
  );
}
