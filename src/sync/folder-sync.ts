import { testPace } from './test-pace.ts';
import type { Kysely } from 'kysely';
import type { FolderChanges, MailConnector, RemoteMessageRef } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { dropBoxRewrite } from '../dropbox/index.ts';
import type { BlobStore, IngestPool } from '../ingest/index.ts';
import { storeBatch, type BatchInput, type BatchResult } from '../store/batch.ts';
import { DEFAULT_RETRY_POLICY, dueRetries, retryDelay, type RetryPolicy } from '../store/fetch-retries.ts';
import { messagesByStableId, storedRemoteIds } from '../store/folders.ts';
import type { FolderRow } from '../store/tables.ts';
import { listFolderChanges } from './change-listing.ts';
import { streamIngest } from './ingest-stream.ts';

export interface FolderSyncDeps {
  db: Kysely<Database>;
  connector: MailConnector;
  pool: IngestPool;
  blobs: BlobStore;
  events?: EventBus;
  /** Messages fetched, parsed and stored per transaction (default 100). */
  batchSize?: number;
  /** Raw bytes fetched but not yet stored, at most (default 16 MB): bounds memory on big mail. */
  maxInFlightBytes?: number;
  /** Called after every stored batch. */
  onProgress?: (p: { folderId: string; done: number; total: number; kind: FolderChanges['kind'] }) => void;
  /** Checked between batches: a stopping supervisor lets the current batch finish and no more. */
  shouldStop?: () => boolean;
  /**
   * Remote ids of this folder the runner gave up fetching (listed, never returned, several times):
   * not fetched again; the cursor moves past them and the folder's last_error names them.
   */
  giveUp?: ReadonlySet<string>;
  /** When messages given up on are tried again (mail_fetch_retries); default DEFAULT_RETRY_POLICY. */
  retryPolicy?: RetryPolicy;
  /** false when the mailbox has nothing in mail_fetch_retries: spares a round the lookup. */
  retriesWaiting?: boolean;
  now?: () => Date;
}

export interface FolderSyncResult {
  kind: FolderChanges['kind'];
  /** Listed messages the server did not return when fetched: the cursor was not moved past them. */
  missing: number;
  missingIds: string[];
  /** Listed messages skipped because the runner gave up on them (`giveUp`); the cursor moved on. */
  skippedIds: string[];
  /** Messages from mail_fetch_retries tried again this round: how many came back, how many did not. */
  retried: { returned: number; missed: number };
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  bytes: number;
}

const DEFAULT_IN_FLIGHT_BYTES = 16 * 1024 * 1024;

/** mail_folders.listed_from for a listing of everything. */
const EVERYTHING = new Date(0);

/**
 * The generation the remote ids of a cursor belong to. The cursor is the connector's, but a membership
 * must name its generation so a UIDVALIDITY reset cannot alias old UIDs: IMAP cursors carry
 * `uidValidity`; connectors whose ids never reset have none ('').
 */
export function cursorGeneration(cursor: Record<string, unknown> | null): string {
  const v = cursor?.uidValidity;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/**
 * One sync round of one folder: asks the connector what changed since the stored cursor, then fetches,
 * parses (worker threads) and stores new messages in batches, newest first. Fetch, parse and store
 * run as one stream (ingest-stream.ts), overlapping all the time. The cursor is saved only with the last batch; a crash before it
 * replays the round, and already-stored (folder, generation, uid) triples are skipped, not refetched.
 */
export async function syncFolder(
  deps: FolderSyncDeps,
  mailbox: { id: string; backfill_from: Date | null; drop_box?: boolean },
  folder: FolderRow,
): Promise<FolderSyncResult> {
  const { db } = deps;
  const batchSize = deps.batchSize ?? 100;
  // The window is a date fixed at binding (moved back when widened), so every full listing, a
  // rebuild after a UIDVALIDITY change included, lists all that the first one did.
  const windowFrom = mailbox.backfill_from ? new Date(mailbox.backfill_from) : null;
  const listedFrom = windowFrom ?? EVERYTHING;
  const widen = folder.cursor !== null && folder.listed_from !== null && listedFrom < new Date(folder.listed_from);
  const changes = await listFolderChanges(deps, folder, { from: windowFrom, widen });
  const generation = cursorGeneration(changes.nextCursor);
  // A full listing needs every stored id (to know what is gone); an incremental round only needs to
  // know which of the few added ones are stored, and loading the folder's ids costs O(folder) per message.
  const stored =
    changes.kind === 'full'
      ? await storedRemoteIds(db, folder.id, generation)
      : await storedRemoteIds(
          db,
          folder.id,
          generation,
          changes.added.map((r) => r.remoteId),
        );

  const flagUpdates: RemoteMessageRef[] = [...changes.changed];
  const fresh: RemoteMessageRef[] = [];
  for (const ref of changes.added) (stored.has(ref.remoteId) ? flagUpdates : fresh).push(ref);
  const byStable = await messagesByStableId(
    db,
    mailbox.id,
    fresh.map((r) => r.stableId).filter((s): s is string => !!s),
  );
  const linked: BatchInput['linked'] = [];
  const toFetch: RemoteMessageRef[] = [];
  const skipped: RemoteMessageRef[] = [];
  for (const ref of fresh) {
    const id = ref.stableId ? byStable.get(ref.stableId) : undefined;
    if (id) linked.push({ ref, messageId: id });
    else (deps.giveUp?.has(ref.remoteId) ? skipped : toFetch).push(ref);
  }
  const skippedIds = skipped.map((r) => r.remoteId);

  const now = deps.now?.() ?? new Date();
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  // Messages given up on in earlier rounds whose next try is due. A full listing lists them again anyway.
  const listed = new Set(toFetch.map((r) => r.remoteId));
  const retrying =
    changes.kind === 'incremental' && deps.retriesWaiting !== false
      ? (await dueRetries(db, folder.id, generation, now)).filter((r) => !listed.has(r.ref.remoteId))
      : [];
  const result: FolderSyncResult = {
    kind: changes.kind,
    missing: 0,
    missingIds: [],
    skippedIds,
    retried: { returned: 0, missed: 0 },
    fetched: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    bytes: 0,
  };
  const total = changes.total;
  let done = changes.kind === 'full' ? stored.size : Math.max(0, total - toFetch.length);
  const base = { mailboxId: mailbox.id, folderId: folder.id, generation };
  const finalPart: Partial<BatchInput> = {
    flagUpdates,
    linked,
    removed: changes.removed,
    cursor: changes.nextCursor,
    clearStoredRetries: deps.retriesWaiting !== false,
    // With the cursor: the window this round's listing covered (a full one, or a widened one).
    ...(changes.kind === 'full' || widen ? { listedFrom } : {}),
    ...(skipped.length ? { retryLater: { refs: skipped, at: new Date(now.getTime() + retryDelay(policy, 0)) } } : {}),
    ...(changes.kind === 'full' ? { keepOnly: changes.added.map((r) => r.remoteId) } : {}),
  };

  const commit = async (input: BatchInput): Promise<void> => {
    // The workers' appends become durable here, once per pack per batch, before the rows name them.
    await deps.blobs.flush((input.incoming ?? []).flatMap((m) => m.blobLocations ?? []));
    const r = await storeBatch(db, input);
    report(deps, mailbox.id, r);
    result.created += r.created.length;
    result.updated += r.updated.length;
    result.deleted += r.deleted.length;
  };

  // A listed message that did not come back may be a stale server view, not an expunge: then the old
  // cursor stays, so the next round lists it again (stored ones are skipped, so the replay is cheap).
  // A retried message that did not come back waits longer; it never holds the cursor.
  const tailFor = (returned: ReadonlySet<string>): Partial<BatchInput> => {
    result.missingIds = toFetch.filter((r) => !returned.has(r.remoteId)).map((r) => r.remoteId);
    result.missing = result.missingIds.length;
    const missed = retrying.filter((r) => !returned.has(r.ref.remoteId));
    result.retried = { returned: retrying.length - missed.length, missed: missed.length };
    const retryMissed = missed.map((r) => ({ remoteId: r.ref.remoteId, at: new Date(now.getTime() + retryDelay(policy, r.tries + 1)) }));
    return result.missing
      ? { ...finalPart, cursor: undefined, keepOnly: undefined, retryLater: undefined, retryMissed }
      : { ...finalPart, retryMissed };
  };
  const fetchList = [...toFetch, ...retrying.map((r) => r.ref)];
  if (fetchList.length === 0) {
    await commit({ ...base, ...finalPart, progress: { synced: total, total } });
    deps.onProgress?.({ folderId: folder.id, done: total, total, kind: changes.kind });
    return result;
  }
  let tailStored = false;
  let stopped = false;
  const rewrite = mailbox.drop_box ? dropBoxRewrite(db, mailbox.id, (sha) => deps.blobs.get(sha)) : undefined;
  const returned = await streamIngest({ ...deps, rewrite }, folder.remote_id, fetchList, {
    batchSize,
    maxInFlightBytes: deps.maxInFlightBytes ?? DEFAULT_IN_FLIGHT_BYTES,
    shouldStop: () => (stopped = deps.shouldStop?.() ?? false),
    onBatch: async (incoming, at) => {
      result.fetched += incoming.length;
      result.bytes += incoming.reduce((n, m) => n + m.parsed.size, 0);
      done += incoming.length;
      const tail = at.last ? tailFor(at.returned) : {};
      tailStored = at.last;
      await commit({ ...base, incoming, progress: { synced: Math.min(done, total), total }, ...tail });
      deps.onProgress?.({ folderId: folder.id, done: Math.min(done, total), total, kind: changes.kind });
      await testPace();
    },
  });
  // The download can end just after the last batch was stored: the cursor then goes in a batch of its own.
  if (!tailStored && !stopped) await commit({ ...base, ...tailFor(returned), progress: { synced: Math.min(done, total), total } });
  return result;
}

function report(deps: FolderSyncDeps, mailboxId: string, r: BatchResult): void {
  if (!deps.events) return;
  for (const messageId of r.created) deps.events.emit('message.created', { mailboxId, messageId });
  for (const messageId of r.updated) deps.events.emit('message.updated', { mailboxId, messageId });
  for (const messageId of r.deleted) deps.events.emit('message.deleted', { mailboxId, messageId });
}
