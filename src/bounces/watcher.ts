import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import type { BlobStore } from '../ingest/index.ts';
import { type Logger, serialJobs } from '../kernel/index.ts';
import { parseDsn } from './dsn-parser.ts';
import { bounceCandidates, clearBouncingBySenders, linkWaitingReports, recordBounce } from './link-bounces.ts';

const MESSAGES_PER_PASS = 500;

export interface BounceWatcher {
  /** Resolves when every message announced so far has been looked at (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads new mail for delivery reports, as the linker reads it for people: on `message.created`, in passes,
 * one at a time. Every step is idempotent (unique lines per report and recipient, links only where none
 * is), so a message announced twice or a pass that failed half way is harmless to run again.
 */
export function startBounceWatcher({
  db,
  events,
  blobs,
  log,
}: {
  db: Kysely<Database>;
  events: EventBus;
  blobs: BlobStore;
  log: Logger;
}): BounceWatcher {
  const jobs = serialJobs(log, 'bounce watcher');

  const updated = (mailboxId: string, messageId: string) => events.emit('message.updated', { mailboxId, messageId });

  const pass = async (ids: string[]) => {
    const candidates = await bounceCandidates(db, ids);
    for (const c of candidates) {
      let raw: Buffer;
      try {
        raw = await blobs.get(c.raw_sha256);
      } catch (err) {
        log.warn({ err: { message: (err as Error).message }, messageId: c.id }, 'bounce check: source unreadable');
        continue;
      }
      const dsn = parseDsn(raw);
      if (!dsn) continue;
      const recorded = await recordBounce(db, c, dsn);
      if (recorded.inserted && recorded.originalMessageId) updated(c.mailbox_id, recorded.originalMessageId);
    }
    const linked = await linkWaitingReports(db, ids);
    if (linked.length) {
      const rows = await db.selectFrom('messages').select(['id', 'mailbox_id']).where('id', 'in', linked).execute();
      for (const r of rows) updated(r.mailbox_id, r.id);
    }
    await clearBouncingBySenders(db, ids);
  };

  const look = jobs.batches('new messages', MESSAGES_PER_PASS, pass);
  const off = events.onLocal('message.created', ({ messageId }) => look(messageId));

  return {
    idle: () => jobs.idle(),
    async stop() {
      off();
      await jobs.stop();
    },
  };
}
