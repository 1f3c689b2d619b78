import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** s3rver's fixed credentials: it checks request signatures against them. */
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

export interface S3Instance {
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A TIDINGS_BLOB_URL for this server and bucket (credentials in the userinfo), under `prefix`. */
  blobUrl(prefix?: string): string;
  /** Keys stored in the bucket (files of s3rver's folder), sorted. */
  objectKeys(): Promise<string[]>;
  /** Stops answering (connections refused) and keeps the data, as an object store that is down. */
  pause(): Promise<void>;
  /** Answers again on the same port with the same data. */
  resume(): Promise<void>;
  /** Idempotent: stops the server and removes its folder. */
  stop(): Promise<void>;
}

async function listen(directory: string, port: number, bucket: string): Promise<{ server: S3rver; port: number }> {
  const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const address = await server.run();
  return { server, port: address.port };
}

async function shut(server: S3rver): Promise<void> {
  // Clients keep connections alive; close() alone would wait for them.
  server.httpServer.closeAllConnections();
  await server.close();
}

async function keysUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const keys: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) keys.push(...(await keysUnder(path.join(dir, e.name), rel)));
    // s3rver keeps each object as `<key>._S3rver_object` beside its metadata files.
    else if (e.name.endsWith('._S3rver_object')) keys.push(rel.slice(0, -'._S3rver_object'.length));
  }
  return keys.sort();
}

/**
 * An S3-compatible server (npm `s3rver`, objects in a temporary folder) on 127.0.0.1 and a free port,
 * with one bucket. Real deployments use MinIO, Ceph RGW, AWS S3 and the like (docs/blob-storage.md).
 */
export async function startS3(opts: { bucket?: string } = {}): Promise<S3Instance> {
  const bucket = opts.bucket ?? 'tidings-test-blobs';
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-s3-'));
  let { server, port } = await listen(directory, 0, bucket);
  let running: S3rver | null = server;
  let stopped = false;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    host: '127.0.0.1',
    port,
    endpoint,
    bucket,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET_KEY,
    blobUrl: (prefix = 'blobs') =>
      `s3://${ACCESS_KEY}:${SECRET_KEY}@${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&forcePathStyle=true`,
    objectKeys: () => keysUnder(path.join(directory, bucket)),
    async pause() {
      if (running) await shut(running);
      running = null;
    },
    async resume() {
      if (running || stopped) return;
      ({ server, port } = await listen(directory, port, bucket));
      running = server;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (running) await shut(running);
      running = null;
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
