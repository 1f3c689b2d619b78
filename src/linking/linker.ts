import type { Kysely } from 'kysely';
import type { Logger } from '../kernel/index.ts';
import { emitCrmEvents } from '../crm/events.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { createContactsFor } from './create-contacts.ts';
import { autoLinkDealThread } from './deal-threads.ts';
import { linkAddressToContact, linkDomainToCompany, linkMessage } from './link-message.ts';

export interface Linker {
  /** Resolves when every event received so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

declare module '../api/context.ts' {
  interface AppServices {
    linker: Linker;
  }
}

/**
 * Subscribes the linker to the bus. Work runs one job at a time in arrival order: a burst of imported mail
 * queues instead of opening many connections, and a contact created from message 1 is already there when
 * message 2 is linked. A failing job is logged and skipped; the next event or a retroactive run catches up.
 */
export function startLinker({ db, events, log }: { db: Kysely<Database>; events: EventBus; log: Logger }): Linker {
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;
  const enqueue = (what: string, job: () => Promise<void>) => {
    if (stopped) return;
    tail = tail.then(job).catch((err: unknown) => {
      log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code }, job: what }, 'linker job failed');
    });
  };

  const offs = [
    events.on('message.created', ({ messageId }) => enqueue('message', async () => {
      const m = await db.selectFrom('messages')
        .select(['id', 'mailbox_id', 'thread_id', 'from', 'to', 'cc', 'bcc', 'list_id', 'list_unsubscribe', 'precedence', 'auto_submitted'])
        .where('id', '=', messageId).executeTakeFirst();
      if (!m) return;
      const linked = await linkMessage(db, m);
      await autoLinkDealThread(db, m.thread_id, linked.contactIds, linked.companyIds);
      // Their retroactive linking (queued behind this job) links this message to the new records too.
      emitCrmEvents(events, await createContactsFor(db, m));
    })),
    events.on('contact.email_added', ({ contactId, address }) => enqueue('contact address', async () => {
      await linkAddressToContact(db, contactId, address);
    })),
    events.on('company.domain_added', ({ companyId, domain }) => enqueue('company domain', async () => {
      await linkDomainToCompany(db, companyId, domain);
    })),
  ];

  return {
    idle: async () => {
      // Jobs may queue more jobs (new contacts → retroactive links): wait until the tail stops moving.
      for (;;) {
        const seen = tail;
        await seen;
        if (seen === tail) return;
      }
    },
    async stop() {
      stopped = true;
      for (const off of offs) off();
      await tail;
    },
  };
}
