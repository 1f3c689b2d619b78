import { z } from 'zod';
import { requireUser } from '../../auth/request-auth.ts';
import { type Credential, stillSignedIn } from '../../auth/still-signed-in.ts';
import { type AnyEvent, DEFAULT_STREAM_LIMITS } from '../../events/index.ts';
import { ownsMailbox } from '../../store/visibility.ts';
import type { RouteContext } from '../context.ts';
import { problemResponses } from '../schemas.ts';

const HEARTBEAT_MS = 25_000;

/**
 * GET /api/v1/events: server-sent events for the signed-in user, limited to the mailboxes they own and the
 * events addressed to them (`userId`).
 * Ownership is checked per mailbox the first time one of its events passes, then cached for the stream.
 * A stream carries events raised in any process on the database (the bus's relay), and ends when the
 * server stops, when its session ends (sign-out and deactivation at once, expiry at the next recheck), or
 * when the relay missed events; a user may hold only so many at a time (StreamRegistry).
 */
export function eventRoutes({ app, db, services }: RouteContext): void {
  const streams = services.eventStreams;
  const offBus = [
    services.events.on('session.ended', ({ sessionId }) => streams.endSession(sessionId)),
    services.events.on('user.signed_out', ({ signedOutUserId }) => streams.endUser(signedOutUserId)),
    // Events from other processes were missed: each browser reconnects and re-reads on open.
    services.events.onGap(() => streams.restartAll()),
  ];
  // Before the server waits for open connections to finish: a stream never finishes by itself.
  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', async () => {
    for (const off of offBus) off();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        description:
          'Server-sent events: message.created/updated/deleted, mailbox.status for the mailboxes you own; reminder.due for your tasks. ' +
          `The stream ends when its session ends or the server stops; a user may hold ${DEFAULT_STREAM_LIMITS.maxPerUser} at once (429 too_many_streams beyond).`,
        produces: ['text/event-stream'],
        response: {
          200: z.string().describe('text/event-stream: `event: <type>` and `data: <JSON>` lines'),
          ...problemResponses(401, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const credential: Credential | null = request.auth?.sessionId
        ? { kind: 'session', sessionId: request.auth.sessionId }
        : bearer
          ? { kind: 'token', secret: bearer }
          : null;
      if (!credential) throw new Error('a signed-in request has neither a session nor a token');
      const res = reply.raw;
      let end = () => {};
      const forget = streams.add({
        userId: user.id,
        sessionId: credential.kind === 'session' ? credential.sessionId : null,
        stillAllowed: () => stillSignedIn(db, credential),
        end: (reason) => {
          end();
          res.end();
          // Stopping: the connection goes too, or the server would wait out its keep-alive before closing.
          if (reason === 'shutdown') res.socket?.destroySoon();
        },
      });
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
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store, no-transform',
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
      end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        forget();
      };
      // The tab went away: nothing more will be read, so the connection goes too (a server that is
      // stopping waits for every connection that is not idle).
      const gone = () => {
        end();
        res.destroy();
      };
      request.raw.on('close', gone);
      res.on('error', gone);
    },
  );
}
