import { DomainError } from '../kernel/index.ts';

/** Stable codes for everything ingest can fail with; one place elsewhere maps them to sync state. */
export type IngestErrorCode =
  | 'ingest_queue_full'
  | 'ingest_pool_closed'
  | 'ingest_worker_failed'
  | 'ingest_timeout'
  /** A source handed over to a parse worker died with it: fetch it again (pool.ts, handOver). */
  | 'ingest_source_lost'
  | 'blob_not_found'
  | 'blob_bad_hash'
  | 'blob_io'
  /** TIDINGS_BLOB_URL cannot be read (blob-url.ts). */
  | 'blob_url_invalid'
  /** The object store did not answer, or refused us (down, wrong credentials, no such bucket): try again later. */
  | 'blob_store_unavailable';

export class IngestError extends DomainError<IngestErrorCode> {}

/** The ingest codes a reader of mail (the API) can meet: the object store being down. */
export type BlobStoreErrorCode = Extract<IngestErrorCode, 'blob_store_unavailable'>;
