import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { AppServices } from '../../src/api/context.ts';
import { buildApp } from '../../src/app/build-app.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startServices } from '../../src/app/services.ts';
import type { DatabaseKind } from '../../src/db/index.ts';
import { Client, type TestApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

/** Creates a member through the admin API and returns a signed-in client with the member's id. */
export async function signInMember(t: TestApp, admin: Client, email: string, name: string): Promise<{ client: Client; id: string }> {
  const password = 'member-password-1';
  const created = await admin.post('/api/v1/users', { email, name, role: 'member', password });
  expect(created.statusCode).toBe(201);
  const client = new Client(t.app);
  expect((await client.post('/api/v1/auth/login', { email, password })).statusCode).toBe(200);
  return { client, id: created.data.user.id };
}

export function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; data: any }, status: number, code: string): void {
  expect({ status: res.statusCode, code: res.data?.code }).toEqual({ status, code });
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
}

/** Walks every page of a list and returns all items. */
export async function allPages(client: Client, url: string): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await client.get(`${url}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode).toBe(200);
    items.push(...res.data.items);
    cursor = res.data.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { items, pages };
}

/**
 * Like createTestApp, but also hands back the services, so tests can listen on the event bus.
 * (createTestApp keeps them private; the CRM's events are what the linker will consume.)
 */
export async function createCrmTestApp(kind: DatabaseKind): Promise<TestApp & { services: AppServices }> {
  const db = await createTestDatabase(kind);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-crm-test-'));
  const config = loadConfig({ TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'info', TIDINGS_MASTER_KEY: 'test-master-key-0123456789abcdef', TIDINGS_SYNC: 'off' }, { databaseUrl: db.url });
  const logs: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void logs.push(line) } as unknown as NodeJS.WritableStream);
  const started = await startServices({ config, db: db.db, log });
  const app = await buildApp({ config, db: db.db, log, services: started.services });
  await app.ready();
  return {
    app, db, config, logs, services: started.services,
    async close() {
      await app.close();
      await started.stop();
      await db.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
