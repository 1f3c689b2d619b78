import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import { OpsError } from './errors.ts';

/**
 * The backup file: gzip of framed records, each a JSON line naming the record and the byte length of
 * its body, then the body itself. Bodies are opaque (a JSON array of rows, a blob pack), so nothing in
 * them needs escaping and a pack is streamed, never held in memory whole.
 */
export const BACKUP_FORMAT = 'tidings-backup';
export const BACKUP_VERSION = 1;

export interface RecordMeta {
  kind: string;
  bytes?: number;
  [key: string]: unknown;
}

export class BackupWriter {
  readonly #gzip: Gzip;
  readonly #done: Promise<void>;

  constructor(file: string) {
    this.#gzip = createGzip();
    const out = fs.createWriteStream(file, { mode: 0o600, flags: 'wx' });
    this.#gzip.pipe(out);
    this.#done = new Promise((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
      this.#gzip.on('error', reject);
    });
  }

  async #write(chunk: Buffer | string): Promise<void> {
    if (!this.#gzip.write(chunk)) await once(this.#gzip, 'drain');
  }

  async record(meta: RecordMeta, body?: string | Buffer): Promise<void> {
    const bytes = body === undefined ? 0 : Buffer.byteLength(body);
    await this.#write(`${JSON.stringify({ ...meta, bytes })}\n`);
    if (body !== undefined) await this.#write(body);
  }

  /** Returns the SHA-256 of what was written. A file's first `bytes` bytes (its size when the backup's snapshot was taken; appends after it are not referenced). */
  async file(meta: RecordMeta, path: string, bytes: number): Promise<string> {
    await this.#write(`${JSON.stringify({ ...meta, bytes })}\n`);
    const hash = createHash('sha256');
    let left = bytes;
    if (bytes > 0) {
      for await (const chunk of fs.createReadStream(path, { start: 0, end: bytes - 1 })) {
        left -= (chunk as Buffer).length;
        hash.update(chunk as Buffer);
        await this.#write(chunk as Buffer);
      }
    }
    if (left !== 0) throw new Error(`${path} shrank while it was backed up`);
    return hash.digest('hex');
  }

  async close(): Promise<void> {
    this.#gzip.end();
    await this.#done;
  }
}

export class BackupReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #buffer = Buffer.alloc(0);

  constructor(file: string) {
    this.#chunks = fs.createReadStream(file).pipe(createGunzip())[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    const next = await this.#chunks.next().catch((error: unknown) => {
      throw new OpsError('backup_invalid', `The backup file is damaged or not a backup (${(error as Error).message}).`, { cause: error });
    });
    if (next.done) return false;
    this.#buffer = Buffer.concat([this.#buffer, next.value]);
    return true;
  }

  /** The next record's meta line; null at the end of the file. */
  async next(): Promise<RecordMeta | null> {
    for (;;) {
      const nl = this.#buffer.indexOf(10);
      if (nl >= 0) {
        const line = this.#buffer.subarray(0, nl).toString('utf8');
        this.#buffer = this.#buffer.subarray(nl + 1);
        try {
          return JSON.parse(line) as RecordMeta;
        } catch {
          throw new OpsError('backup_invalid', 'The backup file is damaged (a record header does not parse).');
        }
      }
      if (!(await this.#fill())) {
        if (this.#buffer.length) throw new OpsError('backup_invalid', 'The backup file ends in the middle of a record.');
        return null;
      }
    }
  }

  /** The current record's body, whole (row batches). */
  async body(meta: RecordMeta): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of this.bodyChunks(meta)) parts.push(part);
    return Buffer.concat(parts);
  }

  /** The current record's body in pieces (files). */
  async *bodyChunks(meta: RecordMeta): AsyncGenerator<Buffer> {
    let left = meta.bytes ?? 0;
    while (left > 0) {
      if (!this.#buffer.length && !(await this.#fill()))
        throw new OpsError('backup_invalid', 'The backup file ends in the middle of a record.');
      const take = this.#buffer.subarray(0, Math.min(left, this.#buffer.length));
      this.#buffer = this.#buffer.subarray(take.length);
      left -= take.length;
      yield take;
    }
  }
}
