import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { AppServices } from '../../src/api/context.ts';
import { buildApp } from '../../src/app/build-app.ts';
import { loadConfig, type Config } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startServices } from '../../src/app/services.ts';
import type { DatabaseKind } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  /** The app's long-lived services (vault, event bus...), for tests that listen or reach inside. */
  services: AppServices;
  /** Everything the app logged, to check that no secret ever reaches a log. */
  logs: string[];
  close(): Promise<void>;
}

/** The real app on a fresh database of the given kind, for `app.inject` tests. */
export async function createTestApp(kind: DatabaseKind, overrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-test-'));
  const config = loadConfig(
    {
      TIDINGS_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      TIDINGS_MASTER_KEY: 'test-master-key-0123456789abcdef',
      TIDINGS_SYNC: 'off',
      // Dovecot and the scripted peers listen on loopback.
      TIDINGS_ALLOW_LOCAL_MAIL_HOSTS: 'true',
    },
    { databaseUrl: db.url, ...overrides },
  );
  const logs: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void logs.push(line) } as unknown as NodeJS.WritableStream);
  const services = await startServices({ config, db: db.db, log });
  const app = await buildApp({ config, db: db.db, log, services: services.services });
  await app.ready();
  return {
    app,
    db,
    config,
    logs,
    services: services.services,
    async close() {
      await app.close();
      await services.stop();
      await db.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A cookie-holding client over `app.inject`, like a browser: it keeps the session cookie and echoes the
 * CSRF cookie in the header on writes.
 */
export class Client {
  cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    public bearer: string | null = null,
  ) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse & { data: any }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.cookies.has('tidings_csrf') && !('x-csrf-token' in h))
      h['x-csrf-token'] = this.cookies.get('tidings_csrf')!;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.inject({
      method,
      url,
      headers: h,
      ...(body !== undefined &&
        (typeof body === 'string'
          ? { payload: body, headers: { 'content-type': 'application/json', ...h } }
          : { payload: body as object })),
    });
    for (const c of res.cookies as Array<{ name: string; value: string; expires?: Date }>) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    let data: unknown = null;
    try {
      data = res.body ? JSON.parse(res.body) : null;
    } catch {
      data = res.body;
    }
    return Object.assign(res, { data });
  }
  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  patch(url: string, body?: unknown) {
    return this.request('PATCH', url, body ?? {});
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}

export const ADMIN = { email: 'admin@example.com', name: 'Ada Admin', password: 'correct horse battery' };

/** Runs first-run setup and returns the signed-in admin client. */
export async function setupAdmin(app: FastifyInstance): Promise<Client> {
  const client = new Client(app);
  const res = await client.post('/api/v1/setup', ADMIN);
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return client;
}

/**
 * The usual start of an API test file: a fresh app (PGlite unless told) with its admin signed in, built
 * before the suite's tests and closed after them. `ready` receives both for the suite's variables.
 */
export function withAdminApp(ready: (t: TestApp, admin: Client) => void, kind: DatabaseKind = 'pglite'): void {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await createTestApp(kind);
    ready(t, await setupAdmin(t.app));
  });
  afterAll(async () => {
    await t?.close();
  });
}
