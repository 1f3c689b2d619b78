/** Stable codes for everything ingest can fail with; one place elsewhere maps them to sync state. */
export type IngestErrorCode =
  | 'INGEST_QUEUE_FULL'
  | 'INGEST_POOL_CLOSED'
  | 'INGEST_WORKER_FAILED'
  | 'INGEST_TIMEOUT'
  /** A source handed over to a parse worker died with it: fetch it again (pool.ts, handOver). */
  | 'INGEST_SOURCE_LOST'
  | 'BLOB_NOT_FOUND'
  | 'BLOB_BAD_HASH'
  | 'BLOB_IO';

export class IngestError extends Error {
  readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.code = code;
  }
}
