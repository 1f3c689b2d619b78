/** Ingest: raw RFC 822 in, a provider-neutral record and content-addressed blobs out. */
export type { Address, ListHeaders, ParsedAttachment, ParsedBlob, ParsedMessage, ParseResult } from './types.ts';
export { IngestError, type IngestErrorCode } from './errors.ts';
export { parseMessage } from './parse-message.ts';
export { sanitizeHtml } from './sanitize-html.ts';
export { decodeText } from './charset.ts';
export { createDiskBlobStore, type BlobStore, type DiskBlobStoreOptions } from './blob-store.ts';
export { createIngestPool, type IngestPool, type IngestPoolOptions } from './pool.ts';
export {
  hasReplyPrefix,
  normaliseMessageId,
  normaliseSubject,
  resolveThread,
  threadKeyFor,
  threadLookupKeys,
  type SubjectCandidate,
  type ThreadDecision,
  type ThreadingOptions,
  type ThreadInput,
  type ThreadLookup,
  type ThreadReason,
} from './threading.ts';
