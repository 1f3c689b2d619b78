import { Counter, Registry } from 'prom-client';

/**
 * The facts that exist only as they happen, counted where each is born: a committed batch of stored
 * messages (src/store/batch.ts) and a recorded sync failure (src/sync/sync-errors.ts). Everything else
 * the metrics show is read at scrape time. Per process, as Prometheus expects of a counter.
 */
export const eventCounters = new Registry();

export const messagesImported = new Counter({
  name: 'tidings_messages_imported_total',
  help: 'Messages stored by mail sync in this process (new rows, not re-fetches of known mail).',
  registers: [eventCounters],
});

export const syncFailures = new Counter({
  name: 'tidings_sync_failures_total',
  help: 'Sync failures recorded by this process, by their stable code.',
  labelNames: ['code'] as const,
  registers: [eventCounters],
});
