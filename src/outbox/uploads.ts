import type { Actor } from '../audit/index.ts';
import { sha256Hex } from '../ingest/blob-store.ts';
import { ValidationError } from '../kernel/index.ts';
import { providers } from '../mailboxes/catalogue/index.ts';
import type { OutboxDeps } from './compose.ts';
import { OutboxError } from './errors.ts';

const DEFAULT_UPLOAD_BYTES = 25 * 1024 * 1024;

/** The largest file worth uploading: the largest message any catalogued provider takes (25 MB when none says). */
export const UPLOAD_LIMIT_BYTES = Math.max(DEFAULT_UPLOAD_BYTES, ...providers.map((p) => p.sending?.maxMessageBytes ?? 0));

export const uploadTooLarge = () =>
  new OutboxError('upload_too_large', `A file may be at most ${UPLOAD_LIMIT_BYTES} bytes.`, {
    details: { limitBytes: UPLOAD_LIMIT_BYTES },
  });

/** X-Filename is percent-encoded UTF-8 (报价单.pdf → %E6%8A%A5…); the name keeps no path and no control characters. */
export function uploadFilename(header: string | undefined): string {
  let name: string;
  try {
    name = decodeURIComponent(header ?? '');
  } catch {
    throw new ValidationError('X-Filename must be percent-encoded UTF-8.', [
      { path: 'headers.x-filename', message: 'bad percent-encoding' },
    ]);
  }
  name = name
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '')
    .replace(/^.*[\\/]/, '')
    .trim()
    .slice(0, 255);
  return name || 'attachment';
}

/** The file's media type as the request gave it (parameters dropped); anything malformed is octet-stream. */
export function uploadContentType(header: string | undefined): string {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : 'application/octet-stream';
}

/** POST /outbox/uploads: the bytes to the blob store, a row only the uploader may attach. */
export async function createUpload(deps: OutboxDeps, actor: Actor, file: { filename: string; contentType: string; bytes: Buffer }) {
  if (file.bytes.length > UPLOAD_LIMIT_BYTES) throw uploadTooLarge();
  const sha256 = await deps.blobs.put(file.bytes, sha256Hex(file.bytes));
  return deps.db
    .insertInto('outbox_uploads')
    .values({ user_id: actor.user.id, filename: file.filename, content_type: file.contentType, size: file.bytes.length, sha256 })
    .returningAll()
    .executeTakeFirstOrThrow();
}
