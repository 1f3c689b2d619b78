/**
 * Ingest: raw RFC 822 in, a provider-neutral record and content-addressed blobs out.
 *
 *   const pool = createIngestPool();               // worker threads, one per core
 *   const { message, blobs } = await pool.parse(raw); // never rejects for bad mail: see message.parseError
 *   for (const b of blobs) await blobStore.put(b.bytes); // raw source first, then attachments
 *   resolveThread({ ...message, participants, gmailThreadId }, lookup)  // see threading.ts
 *   await pool.close();
 */
export type { Address, ListHeaders, ParsedAttachment, ParsedBlob, ParsedMessage, ParseResult } from './types.ts';
export { IngestError, type BlobStoreErrorCode, type IngestErrorCode } from './errors.ts';
export { parseMessage } from './parse-message.ts';
export { isImplausibleDate, sortDate } from './plausible-date.ts';
export { htmlToText, sanitizeComposedHtml, sanitizeHtml } from './sanitize-html.ts';
export { displayHtml, normaliseCid, type DisplayHtml } from './display-html.ts';
export { canonicalCharset, decodeText } from './charset.ts';
export { addressHeader, first, messageIds, parseDate, readRawHeaders, textHeader, type RawHeaders } from './headers.ts';
export {
  blobRootIn,
  createDiskBlobStore,
  memoryBlobIndex,
  type BlobIndex,
  type BlobLocation,
  type BlobStore,
  type DiskBlobStoreOptions,
} from './blob-store.ts';
export { describeBlobTarget, parseBlobUrl, type BlobTarget, type S3Target } from './blob-url.ts';
export { createS3BlobStore, s3ClientFor, type ObjectIndex, type S3BlobStore } from './s3-blob-store.ts';
export { createRoutedBlobStore, type RoutedBlobStoreOptions } from './routed-blob-store.ts';
export { sha256Hex } from './blob-store.ts';
export { createIngestPool, type IngestPool, type IngestPoolOptions } from './pool.ts';
export {
  hasReplyPrefix,
  leadingPrefixKind,
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
