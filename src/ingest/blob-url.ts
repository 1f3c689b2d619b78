import { IngestError } from './errors.ts';

/** Where new blobs go: the data dir's packs, or an S3-compatible bucket (TIDINGS_BLOB_URL). */
export type BlobTarget = { kind: 'disk' } | S3Target;

export interface S3Target {
  kind: 's3';
  bucket: string;
  /** Key prefix without a trailing slash ('' for the bucket's root). */
  prefix: string;
  /** The server's base URL; null: AWS S3's own endpoint for the region. */
  endpoint: string | null;
  region: string;
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO and Ceph RGW usually need. */
  forcePathStyle: boolean;
  /** From the URL's userinfo; null: the AWS SDK's usual sources (AWS_ACCESS_KEY_ID, profiles, roles). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

// S3's own rules for bucket names (3–63 characters, lowercase letters, digits, dots, hyphens).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KNOWN_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);

function bad(message: string): IngestError {
  // The message never repeats the URL: it may carry a secret key.
  return new IngestError('blob_url_invalid', `TIDINGS_BLOB_URL: ${message}`);
}

/**
 * Parses `disk` or `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true`, with credentials
 * optionally as the URL's userinfo (`s3://KEY:SECRET@bucket/…`, percent-encoded).
 */
export function parseBlobUrl(text: string | undefined): BlobTarget {
  if (text === undefined || text === '' || text === 'disk') return { kind: 'disk' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('is neither "disk" nor a URL such as s3://bucket/prefix?endpoint=https://s3.example.com');
  }
  if (url.protocol !== 's3:') throw bad(`scheme ${url.protocol} is not supported (use s3:// or disk)`);
  const bucket = url.hostname;
  if (!BUCKET.test(bucket)) throw bad('the bucket name must be 3–63 lowercase letters, digits, dots or hyphens');
  if (url.port) throw bad('a port belongs in the endpoint parameter, not after the bucket');
  for (const key of url.searchParams.keys()) if (!KNOWN_PARAMS.has(key)) throw bad(`unknown parameter "${key}"`);
  const endpoint = url.searchParams.get('endpoint');
  if (endpoint !== null) {
    let parsed: URL;
    try {
      parsed = new URL(endpoint);
    } catch {
      throw bad('endpoint must be an http or https URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw bad('endpoint must be an http or https URL');
  }
  const pathStyle = url.searchParams.get('forcePathStyle');
  if (pathStyle !== null && pathStyle !== 'true' && pathStyle !== 'false') throw bad('forcePathStyle must be true or false');
  if (Boolean(url.username) !== Boolean(url.password)) throw bad('credentials in the URL need both the access key and the secret');
  return {
    kind: 's3',
    bucket,
    prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ''),
    endpoint: endpoint ? endpoint.replace(/\/+$/, '') : null,
    region: url.searchParams.get('region') || 'us-east-1',
    forcePathStyle: pathStyle === 'true',
    credentials: url.username ? { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) } : null,
  };
}

/** The target for logs and command output: never the credentials. */
export function describeBlobTarget(target: BlobTarget): string {
  if (target.kind === 'disk') return 'disk (the data dir)';
  const where = target.endpoint ? ` at ${target.endpoint}` : ` in ${target.region}`;
  return `s3://${target.bucket}${target.prefix ? `/${target.prefix}` : ''}${where}`;
}
