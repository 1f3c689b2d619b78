import type { Kysely } from 'kysely';
import { DomainError, type Logger } from '../kernel/index.ts';
import { ConnectorError, type MailConnector, type Watcher } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import type { BlobStore, IngestPool } from '../ingest/index.ts';
import { markNeedsAttention, reactivateMailbox } from '../mailboxes/mailbox-status.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { fetchFailureNote } from '../store/batch.ts';
import { countWaitingRetries, DEFAULT_RETRY_POLICY, foldersWithDueRetries, type RetryPolicy } from '../store/fetch-retries.ts';
import { getFolder, saveFolderList } from '../store/folders.ts';
import type { FolderRow } from '../store/tables.ts';
import { Backoff } from './backoff.ts';
import { SyncSetupError, type ConnectorFactory } from './connector-factory.ts';
import { syncFolder, type FolderSyncResult } from './folder-sync.ts';
import { SyncHostNotAllowedError } from './mail-host-check.ts';
import { emptyCounters, type FolderProgress, type SyncState, type SyncStatus } from './status.ts';
import { Waker } from './waker.ts';
import { type AttentionEvidence, announceAttention } from '../notifications/index.ts';
import { recordSyncError } from './sync-errors.ts';
import { PERSISTENT_FAILURES, type SyncFailure, syncFailureOf } from './sync-failure.ts';

export interface RunnerDeps {
  db: Kysely<Database>;
  pool: IngestPool;
  blobs: BlobStore;
  events: EventBus;
  connectorFor: ConnectorFactory;
  log: Logger;
  /** How often selected folders that are not watched are checked with STATUS (default 60 s). */
  pollMs: number;
  /** IDLE notifications within this window become one sync (default 50 ms). */
  debounceMs: number;
  batchSize?: number;
  backoff?: { baseMs?: number; maxMs?: number; healthyAfterMs?: number };
  /**
   * A listed message the server does not return is asked for again on fresh connections; after
   * `tries` misses spread over at least `minMs` (defaults 3 and 60 s) it is recorded as a fetch
   * failure and skipped, so one bad message cannot stop a folder. The time floor keeps a short
   * server hiccup from costing messages.
   */
  fetchGiveUp?: { tries?: number; minMs?: number };
  /**
   * When a skipped message is tried again (it is kept in mail_fetch_retries): first after `firstMs`,
   * doubling per try up to `maxMs` (defaults 15 minutes and a day). Never given up for good.
   */
  fetchRetry?: Partial<RetryPolicy>;
}

/** Failures that do not mend by waiting (PERSISTENT_FAILURES) in a row before the mailbox needs its owner. */
const PERSISTENT_FAILURES_BEFORE_ATTENTION = 3;
/** Screens re-read a mailbox's status on mailbox.progress: at most this often per mailbox. */
const PROGRESS_EVENT_MS = 250;

class NeedsAttention extends Error {}

export class IncompleteFetchError extends DomainError<'incomplete_fetch'> {
  constructor(message: string) {
    super('incomplete_fetch', message);
  }
}

/** What a session's connection was made with: a change means connecting again. */
function connectionOf(m: MailboxRow): string {
  return JSON.stringify([m.imap_host, m.imap_port, m.imap_security, m.username, m.auth_kind, m.allow_plaintext, m.imap_pinned_cert]);
}

/**
 * Keeps one mailbox in sync while this process holds its lease: connect, list folders, import, then
 * watch INBOX with IDLE and poll the other selected folders; on failure reconnect with backoff. All
 * state is in the database except the counters and progress shown by status().
 */
export class MailboxRunner {
  #state: SyncState = 'idle';
  #stopping = false;
  #paused = false;
  #forced = false;
  #waker = new Waker();
  #loop: Promise<void> | null = null;
  #lastSuccessAt: Date | null = null;
  #lastError: string | null = null;
  #counters = emptyCounters();
  #progress = new Map<string, FolderProgress & { startDone: number; startedAt: number }>();
  #dirty = new Set<string>();
  #fullRound = true;
  /** Set by rowChanged(): stop the round in progress and start a full one from the mailbox row. */
  #reload = false;
  #persistentFailures = 0;
  /** The last failure with its catalogue code, for the status screens; cleared by a good round. */
  #lastFailure: SyncStatus['lastFailure'] = null;
  /** The folder a round was in when it failed (named in that failure). */
  #failingFolder: string | undefined;
  #progressTimer: NodeJS.Timeout | null = null;
  /** A good round announced the mailbox healthy since the last failure: later good rounds need not ask again. */
  #announcedHealthy = false;
  #progressAt = 0;
  #attentionStamp: number | null = null;
  /** folderId -> remoteId -> misses so far; cleared by a round of that folder without misses. */
  #misses = new Map<string, Map<string, { tries: number; firstAt: number }>>();
  /** folderId -> remoteIds given up on, skipped by the next round of that folder. */
  #giveUp = new Map<string, Set<string>>();
  /**
   * Messages of this mailbox in mail_fetch_retries, as of the last round; null until first counted.
   * Rows are only added by a skip, so while it is 0 rounds neither count nor look for due retries.
   */
  #waitingForRetry: number | null = null;
  /** Why messages were skipped, shown as lastError while nothing newer went wrong. */
  #fetchFailureNote: string | null = null;
  readonly #retryPolicy: RetryPolicy;
  #rowStamp: number;

  /**
   * `rowStamp`: the mailbox row's updated_at (ms) when the runner was made; rowChanged() compares
   * later ones with it.
   */
  constructor(
    private readonly deps: RunnerDeps,
    readonly mailboxId: string,
    rowStamp: number,
  ) {
    this.#retryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.fetchRetry };
    this.#rowStamp = rowStamp;
  }

  /**
   * The row's updated_at as discovery read it now. A change (paused, settings, password, folders) stops
   * the round in progress at its next batch (what it stored stays; the next round skips it) and the
   * session re-reads the row, so a pause or a new folder selection takes effect at once, not after an
   * import of any length.
   */
  rowChanged(stamp: number): void {
    if (stamp === this.#rowStamp) return;
    this.#rowStamp = stamp;
    this.#reload = true;
    this.#waker.wake();
  }

  start(): void {
    this.#loop ??= this.#run().catch((err) => this.deps.log.error({ err, mailboxId: this.mailboxId }, 'sync runner crashed'));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#waker.wake();
    await this.#loop;
    this.#setState('stopped');
    if (this.#progressTimer) clearTimeout(this.#progressTimer);
  }

  /** A full round now; also the way out of needs_attention. */
  syncNow(): void {
    this.#forced = true;
    this.#fullRound = true;
    this.#waker.wake();
  }

  pause(): void {
    this.#paused = true;
    this.#waker.wake();
  }

  resume(): void {
    this.#paused = false;
    this.#fullRound = true;
    this.#waker.wake();
  }

  status(): SyncStatus {
    const watchingIdle = this.#state === 'watching' && this.#dirty.size === 0;
    return {
      mailboxId: this.mailboxId,
      state: this.#state,
      holder: 'this',
      lastSuccessAt: this.#lastSuccessAt?.toISOString() ?? null,
      lagMs: watchingIdle ? 0 : this.#lastSuccessAt ? Date.now() - this.#lastSuccessAt.getTime() : null,
      lastError: this.#lastError ?? this.#fetchFailureNote,
      lastFailure: this.#lastFailure,
      counters: { ...this.#counters },
      waitingForRetry: this.#waitingForRetry ?? 0,
      progress: [...this.#progress.values()].map(({ startDone: _s, startedAt: _t, ...p }) => p),
    };
  }

  #setState(state: SyncState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.deps.events.emit('mailbox.status', { mailboxId: this.mailboxId, state, lastError: this.#lastError });
    this.#progressMoved();
  }

  /** mailbox.progress, at most every PROGRESS_EVENT_MS; a move within that time is announced at its end. */
  #progressMoved(): void {
    if (this.#progressTimer) return;
    const wait = this.#progressAt + PROGRESS_EVENT_MS - Date.now();
    const emit = () => {
      this.#progressTimer = null;
      this.#progressAt = Date.now();
      this.deps.events.emit('mailbox.progress', { mailboxId: this.mailboxId });
    };
    if (wait <= 0) emit();
    else this.#progressTimer = setTimeout(emit, wait).unref();
  }

  /** Tells the owner and admins once when the mailbox starts or stops needing attention (whoever changed its status). */
  async #announce(seen: AttentionEvidence): Promise<void> {
    await announceAttention(this.deps.db, this.deps.events, this.mailboxId, seen).catch((err) =>
      this.deps.log.warn({ err, mailboxId: this.mailboxId }, 'could not announce a mailbox attention change'),
    );
  }

  async #loadMailbox(): Promise<MailboxRow | undefined> {
    return this.deps.db.selectFrom('mailboxes').selectAll().where('id', '=', this.mailboxId).executeTakeFirst();
  }

  async #run(): Promise<void> {
    const backoff = new Backoff(this.deps.backoff);
    while (!this.#stopping) {
      const mailbox = await this.#loadMailbox().catch(() => undefined);
      if (mailbox) await this.#announce('status');
      if (!mailbox) {
        this.#setState('stopped');
        await this.#waker.sleep(5_000);
        continue;
      }
      if (this.#paused || mailbox.status === 'paused') {
        this.#setState('paused');
        await this.#waker.sleep(60_000);
        continue;
      }
      const stamp = new Date(mailbox.updated_at).getTime();
      if (mailbox.status === 'needs_attention' && !this.#forced && (this.#attentionStamp === null || this.#attentionStamp === stamp)) {
        // Retrying a refused password only locks the account: wait for a change or "Sync now".
        this.#attentionStamp = stamp;
        this.#lastError ??= mailbox.status_reason;
        this.#lastFailure ??= mailbox.status_code
          ? { code: mailbox.status_code, params: {}, at: new Date(mailbox.updated_at).toISOString() }
          : null;
        this.#setState('needs_attention');
        await this.#waker.sleep(60_000);
        continue;
      }
      if (this.#forced) this.#persistentFailures = 0;
      this.#forced = false;
      this.#attentionStamp = null;
      const connectedAt = Date.now();
      try {
        await this.#session(mailbox);
        backoff.connectionEnded(Date.now() - connectedAt);
      } catch (err) {
        if (this.#stopping) break;
        backoff.connectionEnded(Date.now() - connectedAt);
        const message = err instanceof Error ? err.message : String(err);
        this.#lastError = message;
        const failure = syncFailureOf(err, mailbox, this.#failingFolder);
        this.#failingFolder = undefined;
        this.#lastFailure = { ...failure, at: new Date().toISOString() };
        this.#announcedHealthy = false;
        await recordSyncError(this.deps.db, this.mailboxId, failure).catch((e) =>
          this.deps.log.warn({ err: e, mailboxId: this.mailboxId }, 'could not record a sync error'),
        );
        // SyncSetupError includes a sign-in the provider refuses for good: it waits for "Sign in again".
        if (err instanceof NeedsAttention || err instanceof SyncSetupError || err instanceof SyncHostNotAllowedError) {
          await this.#needsAttention(message, failure);
          continue;
        }
        if (PERSISTENT_FAILURES.has(failure.code)) {
          this.#persistentFailures++;
          if (this.#persistentFailures >= PERSISTENT_FAILURES_BEFORE_ATTENTION) {
            const what = err instanceof ConnectorError && err.code === 'auth_failed' ? 'refused the login' : 'failed';
            await this.#needsAttention(`The server ${what} ${this.#persistentFailures} times: ${message}`, failure);
            continue;
          }
        }
        const delay = backoff.next(err instanceof ConnectorError ? err.extra.retryAfterMs : undefined);
        this.deps.log.warn(
          { mailboxId: this.mailboxId, code: (err as { code?: string }).code, delayMs: delay, err: message },
          'sync failed; retrying',
        );
        this.#setState('backoff');
        await this.#waker.sleep(delay);
        this.#fullRound = true;
      }
    }
  }

  async #needsAttention(reason: string, failure: SyncFailure): Promise<void> {
    await markNeedsAttention(this.deps.db, this.mailboxId, reason, failure.code).catch(() => undefined);
    this.#attentionStamp = null;
    this.#lastError = reason;
    this.#setState('needs_attention');
    await this.#announce('status');
  }

  /** One connection's life: returns when stopping or paused, throws when the connection fails. */
  async #session(initial: MailboxRow): Promise<void> {
    let mailbox = initial;
    const connector = await this.deps.connectorFor(mailbox);
    let watcher: Watcher | null = null;
    let watchError: ConnectorError | null = null;
    let debounce: NodeJS.Timeout | null = null;
    try {
      this.#setState('syncing');
      await connector.connect();
      this.#persistentFailures = 0;
      let folders = await this.#listFolders(connector, mailbox);
      // The first full round uses the row and the folder list read just now instead of reading both again.
      let freshlyListed = true;
      let inbox = folders.find((f) => f.role === 'inbox' && f.selected) ?? null;
      const realtime = () => mailbox.sync_mode === 'realtime' && connector.capabilities.idle && inbox !== null;
      let nextPollAt = 0;
      while (!this.#stopping && !this.#paused) {
        if (watchError) throw watchError;
        if (this.#reload) {
          this.#reload = false;
          this.#fullRound = true;
          freshlyListed = false;
        }
        if (this.#fullRound) {
          this.#fullRound = false;
          if (!freshlyListed) {
            const reloaded = (await this.#loadMailbox()) ?? mailbox;
            if (reloaded.status === 'paused') return;
            if (reloaded.status === 'needs_attention' && reloaded.auth_kind === 'oauth2') {
              // A test just failed to get a token (a revoked sign-in, say): this session, signed in before,
              // proves nothing. Connect again, which asks for a token, instead of healing the status here.
              this.#forced = true;
              return;
            }
            if (connectionOf(reloaded) !== connectionOf(mailbox)) {
              // Another server, port or login: connect again with them (the outer loop does, at once).
              this.#fullRound = true;
              return;
            }
            mailbox = reloaded;
            folders = await this.#listFolders(connector, mailbox);
            inbox = folders.find((f) => f.role === 'inbox' && f.selected) ?? null;
          }
          freshlyListed = false;
          await this.#syncFolders(
            connector,
            mailbox,
            folders.filter((f) => f.selected),
          );
          nextPollAt = Date.now() + this.#pollInterval(mailbox);
          if (realtime() && !watcher && inbox) {
            const watched = inbox;
            watcher = await connector.watch(
              watched.remote_id,
              () => {
                debounce ??= setTimeout(() => {
                  debounce = null;
                  this.#dirty.add(watched.id);
                  this.#waker.wake();
                }, this.deps.debounceMs);
              },
              (e) => {
                watchError = e;
                this.#waker.wake();
              },
            );
            // Anything that arrived between the sync above and IDLE starting.
            this.#dirty.add(watched.id);
          }
        } else if (this.#dirty.size) {
          const ids = new Set(this.#dirty);
          this.#dirty.clear();
          await this.#syncFolders(
            connector,
            mailbox,
            folders.filter((f) => ids.has(f.id) && f.selected),
          );
        } else if (Date.now() >= nextPollAt) {
          nextPollAt = Date.now() + this.#pollInterval(mailbox);
          const candidates = folders.filter((f) => f.selected && !(watcher && f.id === inbox?.id));
          const changed = new Set(
            (mailbox.sync_mode === 'interval' ? candidates : await this.#changedFolders(connector, candidates)).map((f) => f.id),
          );
          // Folders holding a message due for another try get a round even when nothing changed.
          const due = this.#waitingForRetry !== 0 ? await foldersWithDueRetries(this.deps.db, mailbox.id, new Date()) : new Set<string>();
          await this.#syncFolders(
            connector,
            mailbox,
            folders.filter((f) => f.selected && (changed.has(f.id) || due.has(f.id))),
          );
        }
        if (this.#dirty.size || this.#fullRound || this.#reload) continue;
        this.#setState(watcher ? 'watching' : 'idle');
        await this.#waker.sleep(nextPollAt - Date.now());
      }
    } finally {
      if (debounce) clearTimeout(debounce);
      await watcher?.close().catch(() => undefined);
      await connector.close().catch(() => undefined);
    }
  }

  #pollInterval(mailbox: MailboxRow): number {
    return mailbox.sync_mode === 'interval' ? mailbox.sync_interval_minutes * 60_000 : this.deps.pollMs;
  }

  async #listFolders(connector: MailConnector, mailbox: MailboxRow): Promise<FolderRow[]> {
    const remote = await connector.listFolders();
    return saveFolderList(this.deps.db, mailbox.id, remote, mailbox.sync_folders, { gmail: connector.capabilities.gmail });
  }

  /** Folders whose STATUS differs from what their cursor recorded. */
  async #changedFolders(connector: MailConnector, folders: FolderRow[]): Promise<FolderRow[]> {
    if (folders.length === 0) return [];
    // Their cursors now, not when listed: one query for the lot (a poll runs every minute per mailbox).
    const rows = await this.deps.db
      .selectFrom('mail_folders')
      .selectAll()
      .where(
        'id',
        'in',
        folders.map((f) => f.id),
      )
      .execute();
    const current = new Map(rows.map((r) => [r.id, r]));
    const out: FolderRow[] = [];
    for (const listed of folders) {
      const f = current.get(listed.id) ?? listed;
      const c = (f.cursor ?? {}) as Record<string, unknown>;
      const s = await connector.folderStatus(f.remote_id);
      const same =
        c.uidNext === s.uidNext &&
        c.total === s.total &&
        (s.highestModseq === null || c.highestModseq === s.highestModseq) &&
        (s.uidValidity === null || c.uidValidity === s.uidValidity);
      if (!same) out.push(f);
    }
    return out;
  }

  /** A folder round stops at its next batch: the runner stops, is paused, or the mailbox changed. */
  #interrupted(): boolean {
    return this.#stopping || this.#paused || this.#reload;
  }

  async #syncFolders(connector: MailConnector, mailbox: MailboxRow, listed: FolderRow[]): Promise<void> {
    for (const stale of listed) {
      if (this.#interrupted()) return;
      // The rows in hand were read when the folders were listed; each round stores a new cursor, so
      // re-read it. (With the listed row, every round after the first started from no cursor: a full
      // listing of the folder for each new message.)
      const folder = (await getFolder(this.deps.db, stale.id)) ?? stale;
      if (!folder.selected || folder.removed_at) continue; // deselected or gone since it was listed
      this.#setState(folder.cursor ? 'syncing' : 'importing');
      let result: FolderSyncResult;
      try {
        result = await syncFolder(
          {
            db: this.deps.db,
            connector,
            pool: this.deps.pool,
            blobs: this.deps.blobs,
            events: this.deps.events,
            batchSize: this.deps.batchSize,
            shouldStop: () => this.#interrupted(),
            giveUp: this.#giveUp.get(folder.id),
            retryPolicy: this.#retryPolicy,
            retriesWaiting: this.#waitingForRetry !== 0,
            onProgress: (p) => this.#trackProgress(folder, p.done, p.total),
          },
          mailbox,
          folder,
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.#failingFolder = folder.name;
        await this.deps.db
          .updateTable('mail_folders')
          .set({ last_error: message.slice(0, 500) })
          .where('id', '=', folder.id)
          .execute()
          .catch(() => undefined);
        // A folder deleted on the server is not a connection problem: relist at the next round.
        if (err instanceof ConnectorError && err.code === 'folder_not_found') {
          const failure = syncFailureOf(err, mailbox, folder.name);
          this.#failingFolder = undefined;
          await recordSyncError(this.deps.db, this.mailboxId, failure).catch(() => undefined);
          this.#fullRound = true;
          continue;
        }
        throw err;
      }
      for (const k of ['fetched', 'created', 'updated', 'deleted', 'bytes'] as const) this.#counters[k] += result[k];
      if (result.retried.returned)
        this.deps.log.info(
          { mailboxId: this.mailboxId, folder: folder.name, returned: result.retried.returned },
          'messages skipped earlier were fetched on a later try',
        );
      this.#noteMisses(folder, result);
      if (result.missing) {
        // The server listed messages it then did not return: start over on fresh connections.
        throw new IncompleteFetchError(`${result.missing} listed message(s) in ${folder.name} were not returned by the server`);
      }
    }
    this.#lastSuccessAt = new Date();
    this.#lastError = null;
    this.#lastFailure = null;
    this.#progressMoved();
    if (this.#waitingForRetry !== 0) this.#waitingForRetry = await countWaitingRetries(this.deps.db, this.mailboxId);
    if (!this.#waitingForRetry) this.#fetchFailureNote = null;
    if (mailbox.status === 'needs_attention' || mailbox.status === 'untested') {
      await reactivateMailbox(this.deps.db, mailbox.id, ['needs_attention', 'untested']);
      mailbox.status = 'active';
    }
    if (this.#announcedHealthy !== true) {
      await this.#announce('healthy');
      this.#announcedHealthy = true;
    }
  }

  /** Counts misses per message; moves a message to the give-up set once it has missed enough. */
  #noteMisses(folder: FolderRow, result: FolderSyncResult): void {
    if (result.skippedIds.length) {
      this.#counters.fetchFailed += result.skippedIds.length;
      this.#fetchFailureNote = fetchFailureNote(result.skippedIds);
      this.#waitingForRetry = null; // stored with the folder's cursor: count again at the round's end
      this.#lastError = null; // the incomplete fetch it described is settled by the skip
      this.deps.log.warn(
        { mailboxId: this.mailboxId, folder: folder.name, remoteIds: result.skippedIds.slice(0, 20) },
        'skipped messages the server never returned',
      );
      this.#giveUp.delete(folder.id);
    }
    if (!result.missingIds.length) {
      this.#misses.delete(folder.id);
      return;
    }
    const tries = this.deps.fetchGiveUp?.tries ?? 3;
    const minMs = this.deps.fetchGiveUp?.minMs ?? 60_000;
    const now = Date.now();
    const misses = this.#misses.get(folder.id) ?? new Map<string, { tries: number; firstAt: number }>();
    this.#misses.set(folder.id, misses);
    const missing = new Set(result.missingIds);
    for (const id of misses.keys()) if (!missing.has(id)) misses.delete(id);
    for (const id of result.missingIds) {
      const m = misses.get(id) ?? { tries: 0, firstAt: now };
      m.tries++;
      misses.set(id, m);
      if (m.tries >= tries && now - m.firstAt >= minMs) {
        misses.delete(id);
        const set = this.#giveUp.get(folder.id) ?? new Set<string>();
        set.add(id);
        this.#giveUp.set(folder.id, set);
      }
    }
  }

  #trackProgress(folder: FolderRow, done: number, total: number): void {
    const now = Date.now();
    const p = this.#progress.get(folder.id) ?? {
      folderId: folder.id,
      name: folder.name,
      done,
      total,
      ratePerSec: null,
      etaSeconds: null,
      startDone: done,
      startedAt: now,
    };
    if (done < p.startDone) {
      p.startDone = done;
      p.startedAt = now;
    }
    p.done = done;
    p.total = total;
    const elapsed = (now - p.startedAt) / 1000;
    p.ratePerSec = elapsed > 0.5 && done > p.startDone ? (done - p.startDone) / elapsed : p.ratePerSec;
    p.etaSeconds = p.ratePerSec ? Math.round(Math.max(0, total - done) / p.ratePerSec) : null;
    this.#progress.set(folder.id, p);
    this.#progressMoved();
  }
}
