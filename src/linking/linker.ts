import { type Kysely, sql } from 'kysely';
import { type Logger, serialJobs } from '../kernel/index.ts';
import { emitCrmEvents } from '../crm/events.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { createContactsForMessages } from './create-contacts.ts';
import { autoLinkDealThreads } from './deal-threads.ts';
import { linkAddressToContact, linkDomainToCompany, linkMessages } from './link-message.ts';

/** Messages linked together: their lookups and inserts are one statement each. */
const MESSAGES_PER_PASS = 500;

export interface Linker {
  /** Resolves when every event received so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribes the linker to the bus. Work runs one job at a time in arrival order, so a burst of imported mail
 * queues instead of opening many connections; stored messages are linked in passes of up to
 * MESSAGES_PER_PASS. A contact created from one message links the others through its retroactive job,
 * queued behind the pass. A failing job is logged and skipped; the next event or a retroactive run catches up.
 */
export function startLinker({ db, events, log }: { db: Kysely<Database>; events: EventBus; log: Logger }): Linker {
  const jobs = serialJobs(log, 'linker');
  const enqueue = jobs.enqueue;

  const linkPass = async (ids: string[]) => {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'mailbox_id', 'thread_id', 'from', 'to', 'cc', 'bcc', 'list_id', 'list_unsubscribe', 'precedence', 'auto_submitted'])
      .where('id', '=', sql<string>`any(${ids}::uuid[])`)
      .execute();
    if (!rows.length) return;
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!); // arrival order: the first message names a new contact
    const linked = await linkMessages(db, rows);
    await autoLinkDealThreads(
      db,
      rows.map((m) => ({ threadId: m.thread_id, ...linked.get(m.id)! })),
    );
    // Their retroactive linking (queued behind this job) links these messages to the new records too.
    emitCrmEvents(events, await createContactsForMessages(db, rows));
  };

  // Stored messages waiting to be linked: a burst from an import is linked in passes of many messages,
  // not one job each.
  const linkArrived = jobs.batches('messages', MESSAGES_PER_PASS, linkPass);

  const offs = [
    events.onLocal('message.created', ({ messageId }) => linkArrived(messageId)),
    events.onLocal('contact.email_added', ({ contactId, address }) =>
      enqueue('contact address', async () => {
        await linkAddressToContact(db, contactId, address);
      }),
    ),
    events.onLocal('company.domain_added', ({ companyId, domain }) =>
      enqueue('company domain', async () => {
        await linkDomainToCompany(db, companyId, domain);
      }),
    ),
  ];

  return {
    idle: () => jobs.idle(),
    async stop() {
      for (const off of offs) off();
      await jobs.stop();
    },
  };
}
