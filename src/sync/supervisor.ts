import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from '../kernel/index.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import type { BlobStore, IngestPool } from '../ingest/index.ts';
import { countWaitingRetries } from '../store/fetch-retries.ts';
import type { ConnectorFactory } from './connector-factory.ts';
import { performance } from 'node:perf_hooks';
import { planLeases } from './balance.ts';
import {
  acquireLease,
  heartbeat,
  heldByOthers,
  leaseHolder,
  leaveSyncProcesses,
  liveSyncProcesses,
  releaseLeases,
  renewLeases,
} from './leases.ts';
import { MailboxRunner, type RunnerDeps } from './mailbox-runner.ts';
import { emptyCounters, type SyncStatus } from './status.ts';

export interface SupervisorOptions {
  db: Kysely<Database>;
  log: Logger;
  events: EventBus;
  pool: IngestPool;
  blobs: BlobStore;
  connectorFor: ConnectorFactory;
  /** Names this process in sync_leases; default host:pid:random. */
  holder?: string;
  leaseTtlMs?: number;
  renewMs?: number;
  /**
   * A runner stops this long before its lease could expire unrenewed (default a third of the lease), so
   * it has stopped touching the mailbox before another process may take it.
   */
  leaseMarginMs?: number;
  /** How often the mailboxes table is read for new or removed mailboxes. */
  discoverMs?: number;
  pollMs?: number;
  debounceMs?: number;
  batchSize?: number;
  backoff?: RunnerDeps['backoff'];
  fetchGiveUp?: RunnerDeps['fetchGiveUp'];
  fetchRetry?: RunnerDeps['fetchRetry'];
}

export interface SyncSupervisor {
  readonly holder: string;
  start(): void;
  stop(): Promise<void>;
  /**
   * Look for new, changed or removed mailboxes now (the mailboxes API calls this after a change; other
   * processes see it at their next discovery tick).
   */
  refresh(): Promise<void>;
  /**
   * A mailbox is about to be bound here (its connection test is running): start the parse workers now,
   * so its first import does not wait for them.
   */
  prepare(): void;
  syncNow(mailboxId: string): Promise<void>;
  pause(mailboxId: string): void;
  resume(mailboxId: string): void;
  status(mailboxId: string): Promise<SyncStatus>;
  /** Mailbox ids this process syncs now. */
  held(): string[];
}

/**
 * One per process. Mailboxes are shared among processes by leases in PostgreSQL, balanced: each process
 * says it is alive (sync_processes) and each discovery tick takes free mailboxes (nobody holds them, or
 * their holder died: expired) up to its share, or gives back what is beyond it (balance.ts). A renewal
 * tick extends our leases; a lease we fail to renew stops its runner at once, and a runner whose lease
 * went unrenewed for too long (the database did not answer) stops before the lease could expire.
 */
export function createSyncSupervisor(opts: SupervisorOptions): SyncSupervisor {
  const holder = opts.holder ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const ttl = opts.leaseTtlMs ?? 30_000;
  const margin = opts.leaseMarginMs ?? Math.round(ttl / 3);
  const runners = new Map<string, MailboxRunner>();
  // By this process's monotonic clock: the latest a lease can still be ours (asked before the database's now()).
  const leaseValidUntil = new Map<string, number>();
  const paused = new Set<string>();
  const deps: RunnerDeps = {
    db: opts.db,
    pool: opts.pool,
    blobs: opts.blobs,
    events: opts.events,
    connectorFor: opts.connectorFor,
    log: opts.log,
    pollMs: opts.pollMs ?? 60_000,
    debounceMs: opts.debounceMs ?? 50,
    batchSize: opts.batchSize,
    backoff: opts.backoff,
    fetchGiveUp: opts.fetchGiveUp,
    fetchRetry: opts.fetchRetry,
  };
  let timers: NodeJS.Timeout[] = [];
  let stopped = false;
  let discovering: Promise<void> | null = null;

  async function stopRunner(id: string): Promise<void> {
    const runner = runners.get(id);
    if (!runner) return;
    runners.delete(id);
    leaseValidUntil.delete(id);
    await runner.stop();
  }

  async function discoverOnce(): Promise<void> {
    // A mailbox with a way to sign in: a stored secret, or an OAuth grant (auth_kind 'oauth2', tokens in signin_grants).
    const rows = await opts.db
      .selectFrom('mailboxes')
      .select(['id', 'updated_at'])
      .where((eb) => eb.or([eb('secret_id', 'is not', null), eb('auth_kind', '=', 'oauth2')]))
      .execute();
    const wanted = new Map(rows.map((r) => [r.id, new Date(r.updated_at).getTime()]));
    for (const id of [...runners.keys()]) {
      if (!wanted.has(id)) {
        await stopRunner(id);
        await releaseLeases(opts.db, holder, [id]);
      }
    }
    for (const [id, stamp] of wanted) runners.get(id)?.rowChanged(stamp); // an admin's change, whichever process took it
    await heartbeat(opts.db, holder, ttl);
    const plan = planLeases({
      wanted: [...wanted.keys()],
      mine: [...runners.keys()],
      heldByOthers: await heldByOthers(opts.db, holder),
      liveProcesses: await liveSyncProcesses(opts.db),
    });
    if (plan.giveBack.length) {
      // Stopped first: the lease goes back only once nothing here touches the mailbox.
      await Promise.all(plan.giveBack.map((id) => stopRunner(id)));
      await releaseLeases(opts.db, holder, plan.giveBack);
    }
    for (const id of plan.take) {
      if (stopped) return;
      const asked = performance.now();
      if (!(await acquireLease(opts.db, id, holder, ttl))) continue;
      leaseValidUntil.set(id, asked + ttl);
      // The parse workers start with the first mailbox this process syncs (a second or two of CPU
      // each), not during its first import and not at all on a process that syncs none.
      void opts.pool.warm();
      const runner = new MailboxRunner(deps, id, wanted.get(id)!);
      if (paused.has(id)) runner.pause();
      runners.set(id, runner);
      runner.start();
    }
  }

  function discover(): Promise<void> {
    // One discovery at a time; a refresh during one waits for it and then runs again.
    const run = (discovering ?? Promise.resolve()).then(() => (stopped ? undefined : discoverOnce()));
    discovering = run.catch((err) => opts.log.warn({ err }, 'sync discovery failed'));
    return discovering;
  }

  async function renew(): Promise<void> {
    const ids = [...runners.keys()];
    try {
      const asked = performance.now();
      await heartbeat(opts.db, holder, ttl);
      const kept = await renewLeases(opts.db, holder, ids, ttl);
      for (const id of ids) {
        if (kept.has(id) && runners.has(id)) leaseValidUntil.set(id, asked + ttl);
        else if (!kept.has(id)) {
          opts.log.warn({ mailboxId: id }, 'sync lease lost; stopping this mailbox here');
          await stopRunner(id);
        }
      }
    } catch (err) {
      opts.log.warn({ err }, 'sync lease renewal failed');
    }
  }

  /** Stops the runners whose lease may run out before the next renewal could save it. */
  async function watchLeases(): Promise<void> {
    const now = performance.now();
    for (const [id, until] of leaseValidUntil) {
      if (now < until - margin) continue;
      opts.log.warn({ mailboxId: id }, 'sync lease not renewed in time; stopping this mailbox here before it expires');
      await stopRunner(id);
    }
  }

  return {
    holder,
    start() {
      if (timers.length || stopped) return;
      void discover();
      timers = [
        setInterval(() => void discover(), opts.discoverMs ?? 5_000),
        setInterval(() => void renew(), opts.renewMs ?? 10_000),
        setInterval(() => void watchLeases(), Math.max(50, Math.min(1_000, Math.round(margin / 4)))),
      ];
      for (const t of timers) t.unref();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      timers = [];
      await discovering;
      await Promise.all([...runners.keys()].map((id) => stopRunner(id)));
      await releaseLeases(opts.db, holder).catch(() => undefined);
      await leaveSyncProcesses(opts.db, holder).catch(() => undefined);
    },
    prepare() {
      if (!stopped) void opts.pool.warm();
    },
    async refresh() {
      await discover();
    },
    async syncNow(mailboxId) {
      const runner = runners.get(mailboxId);
      if (runner) runner.syncNow();
      else await discover();
      runners.get(mailboxId)?.syncNow();
    },
    pause(mailboxId) {
      paused.add(mailboxId);
      runners.get(mailboxId)?.pause();
    },
    resume(mailboxId) {
      paused.delete(mailboxId);
      runners.get(mailboxId)?.resume();
    },
    async status(mailboxId) {
      const runner = runners.get(mailboxId);
      if (runner) return runner.status();
      return storedStatus(opts.db, mailboxId, (await leaseHolder(opts.db, mailboxId)) ? 'other' : 'none');
    },
    held: () => [...runners.keys()],
  };
}

/** A mailbox's sync status: from the runner when this process syncs it, else as stored. */
export function mailboxSyncStatus(sync: SyncSupervisor | null | undefined, db: Kysely<Database>, mailboxId: string): Promise<SyncStatus> {
  return sync ? sync.status(mailboxId) : storedStatus(db, mailboxId, 'none');
}

/** What the database says about a mailbox this process does not sync. */
export async function storedStatus(db: Kysely<Database>, mailboxId: string, holder: SyncStatus['holder']): Promise<SyncStatus> {
  const [mailbox, folders, waitingForRetry] = await Promise.all([
    db
      .selectFrom('mailboxes')
      .select(['status', 'status_reason', 'status_code', 'updated_at'])
      .where('id', '=', mailboxId)
      .executeTakeFirst(),
    db
      .selectFrom('mail_folders')
      .select(['id', 'name', 'synced', 'total', 'last_synced_at', 'last_error'])
      .where('mailbox_id', '=', mailboxId)
      .where('selected', '=', true)
      .execute(),
    countWaitingRetries(db, mailboxId),
  ]);
  const last = folders
    .map((f) => f.last_synced_at)
    .filter((d): d is Date => !!d)
    .map((d) => new Date(d).getTime());
  const lastSuccess = last.length ? Math.min(...last) : null;
  return {
    mailboxId,
    state: mailbox?.status === 'needs_attention' ? 'needs_attention' : mailbox?.status === 'paused' ? 'paused' : 'idle',
    holder,
    lastSuccessAt: lastSuccess ? new Date(lastSuccess).toISOString() : null,
    lagMs: lastSuccess ? Date.now() - lastSuccess : null,
    lastError: mailbox?.status_reason ?? folders.find((f) => f.last_error)?.last_error ?? null,
    lastFailure:
      mailbox?.status === 'needs_attention' && mailbox.status_code
        ? { code: mailbox.status_code, params: {}, at: new Date(mailbox.updated_at).toISOString() }
        : null,
    counters: emptyCounters(),
    waitingForRetry,
    progress: folders.map((f) => ({ folderId: f.id, name: f.name, done: f.synced, total: f.total, ratePerSec: null, etaSeconds: null })),
  };
}
