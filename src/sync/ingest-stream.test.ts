import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchedMessage, MailConnector, RemoteMessageRef } from '../connectors/types.ts';
import { createDiskBlobStore, createIngestPool, memoryBlobIndex, type IngestPool } from '../ingest/index.ts';
import { sampleMessage } from '../../test/support/corpus.ts';
import type { IncomingMessage } from '../store/batch.ts';
import { FIRST_BATCH, streamIngest, withFetched } from './ingest-stream.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ref = (remoteId: string): RemoteMessageRef => ({
  remoteId,
  stableId: null,
  threadId: null,
  flags: [],
  keywords: [],
  size: null,
  internalDate: null,
  modseq: null,
});
const crash = Buffer.from('X-Tidings-Test-Hook: crash\r\nSubject: doomed\r\nMessage-ID: <doomed@x>\r\n\r\nx');

/** A server of `sources` by remote id that hands out each fetch as a fresh Buffer of its own, as IMAP does. */
function fakeServer(sources: Map<string, Buffer>) {
  const fetches: string[][] = [];
  const connector = {
    async *fetchMessages(_folder: string, ids: string[]): AsyncIterable<FetchedMessage> {
      fetches.push([...ids]);
      for (const id of ids) {
        const source = Buffer.alloc(sources.get(id)!.length);
        sources.get(id)!.copy(source);
        yield { ref: ref(id), source } as FetchedMessage;
      }
    },
  } as unknown as MailConnector;
  return { connector, fetches };
}

describe('withFetched', () => {
  it("completes a bare listing's ref from the fetched message, and keeps the listing's Gmail ids", () => {
    const date = new Date('2026-11-02T08:00:00Z');
    const fetched = {
      ...ref('7'),
      stableId: 'gm-2',
      threadId: 'th-2',
      flags: ['seen' as const],
      keywords: ['$Work'],
      size: 1234,
      internalDate: date,
      modseq: '99',
    };
    expect(withFetched(ref('7'), fetched)).toEqual({ ...fetched, remoteId: '7' });
    const listed = { ...ref('7'), stableId: 'gm-1', threadId: 'th-1', flags: ['flagged' as const], size: 1000, modseq: '98' };
    expect(withFetched(listed, fetched)).toMatchObject({
      stableId: 'gm-1',
      threadId: 'th-1',
      flags: ['seen'],
      keywords: ['$Work'],
      size: 1234,
      internalDate: date,
      modseq: '99',
    });
    // A fetch that brought nothing leaves the listing's values.
    expect(withFetched(listed, ref('7'))).toEqual(listed);
  });
});

describe('streamIngest', () => {
  let pool: IngestPool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('keeps the shared parse queue bounded however small the messages are', { timeout: 60_000 }, async () => {
    // A queue of 50 stands for a pool shared with other mailboxes: the stream must never overflow it.
    pool = createIngestPool({ size: 1, depth: 2, maxQueue: 50 });
    const sources = new Map(Array.from({ length: 600 }, (_, i) => [String(i + 1), sampleMessage(i)]));
    const { connector } = fakeServer(sources);
    const stored: string[] = [];
    let mostQueued = 0;
    const returned = await streamIngest(
      { connector, pool, blobs: createDiskBlobStore('/nonexistent', { index: memoryBlobIndex() }) },
      'INBOX',
      [...sources.keys()].map(ref),
      {
        batchSize: 100,
        maxInFlightBytes: 16 * 1024 * 1024, // 600 small messages fit many times over
        maxParsing: 40,
        onBatch: async (incoming) => {
          mostQueued = Math.max(mostQueued, pool!.stats().queued);
          stored.push(...incoming.map((m) => m.ref.remoteId));
        },
      },
    );
    expect(returned.size).toBe(600);
    expect(new Set(stored).size).toBe(600);
    expect(mostQueued).toBeLessThanOrEqual(40);
  });

  it('stores a small first batch, so new mail shows at once, then full batches', { timeout: 60_000 }, async () => {
    pool = createIngestPool({ size: 1 });
    const sources = new Map(Array.from({ length: 250 }, (_, i) => [String(i + 1), sampleMessage(i)]));
    const { connector } = fakeServer(sources);
    const sizes: number[] = [];
    await streamIngest(
      { connector, pool, blobs: createDiskBlobStore('/nonexistent', { index: memoryBlobIndex() }) },
      'INBOX',
      [...sources.keys()].map(ref),
      { batchSize: 100, maxInFlightBytes: 16 * 1024 * 1024, onBatch: async (incoming) => void sizes.push(incoming.length) },
    );
    expect(sizes[0]).toBe(FIRST_BATCH);
    expect(sizes.slice(1)).toEqual([100, 100, 250 - 200 - FIRST_BATCH]);
  });

  it('fetches again the messages whose parse worker died with their source, and stores each once', { timeout: 60_000 }, async () => {
    pool = createIngestPool({ size: 1, depth: 2, unsafeTestHooks: true });
    const sources = new Map(Array.from({ length: 12 }, (_, i) => [String(i + 1), i === 5 ? crash : sampleMessage(i)]));
    const { connector, fetches } = fakeServer(sources);
    const stored: IncomingMessage[] = [];
    let lastReturned: ReadonlySet<string> | null = null;
    const returned = await streamIngest(
      { connector, pool, blobs: createDiskBlobStore('/nonexistent', { index: memoryBlobIndex() }) },
      'INBOX',
      [...sources.keys()].map(ref),
      {
        batchSize: 4,
        maxInFlightBytes: 16 * 1024 * 1024,
        onBatch: async (incoming, at) => {
          stored.push(...incoming);
          if (at.last) lastReturned = at.returned;
        },
      },
    );
    // One fetch of everything, then one of what the dead worker held: the crashing message and
    // perhaps the one beside it (two in flight per worker).
    expect(fetches).toHaveLength(2);
    expect(fetches[0]).toEqual([...sources.keys()]);
    expect(fetches[1]).toContain('6');
    expect(fetches[1].length).toBeLessThanOrEqual(2);
    expect([...returned].sort()).toEqual([...sources.keys()].sort());
    expect(lastReturned).toBe(returned);

    const ids = stored.map((m) => m.ref.remoteId).sort((a, b) => Number(a) - Number(b));
    expect(ids).toEqual([...sources.keys()]);
    for (const m of stored) {
      expect(m.parsed.sha256).toBe(sha(sources.get(m.ref.remoteId)!));
      if (m.ref.remoteId === '6') expect(m.parsed.parseError).toMatch(/worker crashed/);
      else expect(m.parsed.parseError).toBeNull();
    }
  });
});
