import type { MailConnector, RemoteMessageRef } from '../connectors/types.ts';
import { IngestError, type BlobStore, type IngestPool } from '../ingest/index.ts';
import type { DropBoxRewrite } from '../dropbox/index.ts';
import type { IncomingMessage } from '../store/batch.ts';

export interface IngestStreamDeps {
  connector: MailConnector;
  pool: IngestPool;
  blobs: BlobStore;
  /** A drop-box mailbox's rule (src/dropbox/), given each message with its source before it is stored. */
  rewrite?: DropBoxRewrite;
}

export interface IngestStreamOptions {
  /** Messages per batch handed to `onBatch` (one store transaction each). */
  batchSize: number;
  /**
   * Raw bytes fetched but not yet stored. Past it the download waits (and imapflow, no longer read,
   * lets TCP push back on the server): this bounds memory whatever the message sizes.
   */
  maxInFlightBytes: number;
  /**
   * Messages handed to the pool and not yet parsed (default 128). Small mail reaches the byte bound
   * only with thousands in flight, which overflowed the pool's queue (ingest_queue_full, 2048) and
   * failed the round; the pool is shared by every mailbox, so each stream takes a modest share.
   */
  maxParsing?: number;
  /** Checked after each batch: true stops fetching; what was fetched is still parsed and dropped. */
  shouldStop?: () => boolean;
  /**
   * Stores one batch. `last` is true when nothing more will come (the fetch has ended); then
   * `returned` holds every remote id the server sent.
   */
  onBatch: (incoming: IncomingMessage[], at: { last: boolean; returned: ReadonlySet<string> }) => Promise<void>;
}

/**
 * The listed ref completed by what came with the message: its flags, keywords, size and date are
 * newer than the listing's, and a bare listing (a first import) has none of them. Empty fetched
 * flags or keywords keep the listing's (as before bare listings; IMAP always sends them). The
 * listing's Gmail ids stay: the engine linked the message to stored mail by them.
 */
export function withFetched(listed: RemoteMessageRef, fetched: RemoteMessageRef): RemoteMessageRef {
  return {
    ...listed,
    flags: fetched.flags.length ? fetched.flags : listed.flags,
    keywords: fetched.keywords.length ? fetched.keywords : listed.keywords,
    size: fetched.size ?? listed.size,
    internalDate: fetched.internalDate ?? listed.internalDate,
    stableId: listed.stableId ?? fetched.stableId,
    threadId: listed.threadId ?? fetched.threadId,
    modseq: fetched.modseq ?? listed.modseq,
    // Labels as fetched ([] is a real answer: no labels); a bare listing has none.
    ...(fetched.labels !== undefined || listed.labels !== undefined ? { labels: fetched.labels ?? listed.labels } : {}),
  };
}

/**
 * Parses a source in the pool and keeps its blobs: those the worker appended are indexed with the
 * batch that stores the message (blobLocations); the rest are put now.
 */
async function parseKept(
  deps: IngestStreamDeps,
  source: Buffer,
  handOver: boolean,
): Promise<Pick<IncomingMessage, 'parsed' | 'blobLocations'>> {
  const { message, blobs, storedBlobs } = await deps.pool.parse(source, { handOver });
  await Promise.all(blobs.map((b) => deps.blobs.put(b.bytes, b.sha256)));
  return { parsed: message, blobLocations: storedBlobs };
}

/**
 * The first batch of a pass is small: a mailbox just bound shows its first mail as soon as a few
 * messages are parsed, instead of after a full batch. Later batches are full, for throughput.
 */
export const FIRST_BATCH = 10;

/** Wakes whoever waits for "something changed" (a message fetched, parsed or stored; the fetch ended). */
class Signal {
  #waiters: Array<() => void> = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Fetches `refs` in one stream, parses each message in the ingest pool as it arrives (blobs written
 * before the rows that name them), and hands parsed messages to `onBatch` in batches, in arrival
 * order, while the download goes on. So fetch, parse and store overlap all the time instead of
 * taking turns per batch. Returns the remote ids that were returned (the rest are the caller's
 * "missing"). On any failure the download is stopped and every started parse settled before the
 * error is rethrown; batches already handed over stay stored (at-least-once fetch).
 */
export async function streamIngest(
  deps: IngestStreamDeps,
  remoteFolderId: string,
  refs: RemoteMessageRef[],
  opts: IngestStreamOptions,
): Promise<Set<string>> {
  const wanted = new Map(refs.map((r) => [r.remoteId, r]));
  const returned = new Set<string>();
  // null: the message's source died with its parse worker (handed over, not copied); fetched again below.
  const pending: Array<{ bytes: number; work: Promise<IncomingMessage | null> }> = [];
  const lost = new Set<string>();
  const changed = new Signal();
  let inFlight = 0;
  let fetching = true;
  let stop = false;
  let fetchError: unknown = null;

  // Parses started and not yet settled: a pass ends once its parses settle, so the lost are known. A
  // count, not the promises: those hold parsed messages, which must go as soon as they are stored.
  let parsing = 0;
  const maxParsing = opts.maxParsing ?? 128;

  /** Fetches `ids` and starts parsing each message as it arrives; resolves once every parse has settled. */
  const fetchPass = async (ids: string[], handOver: boolean): Promise<void> => {
    for await (const fetched of deps.connector.fetchMessages(remoteFolderId, ids)) {
      const remoteId = fetched.ref.remoteId;
      const ref = wanted.get(remoteId) ?? fetched.ref;
      returned.add(remoteId);
      const bytes = fetched.source.length;
      inFlight += bytes;
      // handOver: the source is not read again here; the pool moves it to the worker (pool.ts). A
      // rewrite reads it again, so it keeps its copy.
      const source = fetched.source;
      const work = parseKept(deps, source, handOver && !deps.rewrite).then(
        async ({ parsed: message, blobLocations }): Promise<IncomingMessage> => {
          const merged = withFetched(ref, fetched.ref);
          // Headers only: the size is the server's, and the flag tells the reader why there is no body.
          const parsed = fetched.tooLarge ? { ...message, tooLarge: true, size: merged.size ?? message.size } : message;
          const incoming = { ref: merged, parsed, blobLocations };
          return deps.rewrite && !fetched.tooLarge ? deps.rewrite(incoming, source, (s) => parseKept(deps, s, false)) : incoming;
        },
        (err: unknown) => {
          if (!(err instanceof IngestError && err.code === 'ingest_source_lost')) throw err;
          // Not returned after all, unless the next pass fetches it: the caller counts it missing then.
          returned.delete(remoteId);
          lost.add(remoteId);
          return null;
        },
      );
      parsing++;
      // Awaited by the store loop; this only counts it settled and keeps an early failure from being "unhandled".
      work
        .then(null, () => undefined)
        .finally(() => {
          parsing--;
          changed.notify();
        });
      pending.push({ bytes, work });
      changed.notify();
      while ((inFlight > opts.maxInFlightBytes || parsing >= maxParsing) && !stop) await changed.wait();
      if (stop) break;
    }
    while (parsing > 0) await changed.wait();
  };

  const download = (async () => {
    try {
      await fetchPass(
        refs.map((r) => r.remoteId),
        true,
      );
      // A parse worker that died took the sources handed to it along. Those messages are fetched once
      // more and parsed from a copy, so a worker that dies again names its culprit (a parseError record).
      if (lost.size && !stop) {
        const again = [...lost];
        lost.clear();
        await fetchPass(again, false);
      }
    } catch (err) {
      fetchError = err;
    } finally {
      fetching = false;
      changed.notify();
    }
  })();

  let batches = 0;
  try {
    for (;;) {
      // A full batch, or whatever is there when the download ends or waits for memory to be freed.
      const wanted = batches === 0 ? Math.min(FIRST_BATCH, opts.batchSize) : opts.batchSize;
      while (fetching && pending.length < wanted && inFlight <= opts.maxInFlightBytes && !fetchError) await changed.wait();
      if (fetchError) throw fetchError;
      if (pending.length === 0) break;
      const slice = pending.splice(0, wanted);
      batches++;
      const incoming = (await Promise.all(slice.map((p) => p.work))).filter((m): m is IncomingMessage => m !== null);
      if (fetchError) throw fetchError;
      const last = !fetching && pending.length === 0;
      // A slice whose every source was lost (and comes again later) has nothing to store yet.
      if (incoming.length || last) await opts.onBatch(incoming, { last, returned });
      inFlight -= slice.reduce((n, p) => n + p.bytes, 0);
      changed.notify();
      if (opts.shouldStop?.()) break;
    }
  } finally {
    stop = true;
    changed.notify();
    await download;
    await Promise.allSettled(pending.map((p) => p.work));
  }
  return returned;
}
