import { sql, type Kysely } from 'kysely';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/schema.ts';
import type { IngestPool } from '../ingest/index.ts';
import type { SyncSupervisor } from '../sync/supervisor.ts';
import { eventCounters } from './counters.ts';

export interface MetricsSources {
  db: Kysely<Database>;
  /** null in a process that does not sync (TIDINGS_SYNC=off). */
  sync: SyncSupervisor | null;
  pool: IngestPool | null;
  openStreams: () => number;
}

export interface Metrics {
  /** Request durations, labelled by route pattern; the HTTP layer observes into it. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  contentType: string;
  /** The Prometheus text of every metric, read now. */
  render(): Promise<string>;
}

/**
 * One registry per server: state is read when Prometheus scrapes (collect callbacks), so nothing is
 * counted twice and a metric cannot drift from what the process really holds.
 */
export function createMetrics(src: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'tidings_sync_lag_seconds',
    help: 'How far the store may be behind the mail server, per mailbox this process syncs (0 while watching with nothing pending).',
    labelNames: ['mailbox_id', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const id of src.sync?.held() ?? []) {
        const status = await src.sync!.status(id).catch(() => null);
        if (status?.lagMs != null) this.set({ mailbox_id: id, state: status.state }, status.lagMs / 1000);
      }
    },
  });

  new Gauge({
    name: 'tidings_sync_mailboxes',
    help: 'Mailboxes this process syncs now.',
    registers: [registry],
    collect() {
      this.set(src.sync?.held().length ?? 0);
    },
  });

  new Gauge({
    name: 'tidings_sync_lease_holders',
    help: 'Live mailbox leases per holder (host:pid:random), as the database has them: the same from every process.',
    labelNames: ['holder'] as const,
    registers: [registry],
    async collect() {
      const rows = await sql<{ holder: string; n: number }>`
        select holder, count(*)::int as n from sync_leases where expires_at > now() group by holder`.execute(src.db);
      this.reset();
      for (const r of rows.rows) this.set({ holder: r.holder }, Number(r.n));
    },
  });

  new Gauge({
    name: 'tidings_parse_queue_depth',
    help: 'Messages waiting for a parse worker (queued) and in a worker (parsing).',
    labelNames: ['stage'] as const,
    registers: [registry],
    collect() {
      // pending counts every accepted job, queued ones included.
      const stats = src.pool?.stats() ?? { queued: 0, pending: 0 };
      this.set({ stage: 'queued' }, stats.queued);
      this.set({ stage: 'parsing' }, Math.max(0, stats.pending - stats.queued));
    },
  });

  new Gauge({
    name: 'tidings_event_streams_open',
    help: 'Server-sent event streams (/api/v1/events) open in this process.',
    registers: [registry],
    collect() {
      this.set(src.openStreams());
    },
  });

  const httpDuration = new Histogram({
    name: 'tidings_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern (never the raw URL), method and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    httpDuration,
    contentType: registry.contentType,
    async render() {
      return (await Registry.merge([registry, eventCounters]).metrics()) as string;
    },
  };
}
