import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/app/config.ts';
import { ensureWebBuild } from '../../src/app/ensure-web-build.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startServer } from '../../src/app/server.ts';
import type { Db } from '../../src/db/index.ts';
import { createPgliteFolder, createPostgresDatabase } from './database.ts';

export interface TestServer {
  url: string;
  config: Config;
  /** The server's own database, for tests that change rows behind its back (an expired session). */
  db: Db['db'];
  stop(): Promise<void>;
}

/**
 * The real Tidings server on a free loopback port with a fresh, migrated database (PGlite in a temp data
 * dir, or a new database on the PostgreSQL server, both copied from a template: db-template.ts). Builds
 * web/dist first when it is missing or stale.
 */
export async function startTestServer(opts: { database?: 'pglite' | 'postgres'; env?: Record<string, string> } = {}): Promise<TestServer> {
  await ensureWebBuild();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-server-'));
  // Already migrated (a copy of the template database), so the server's own migration run finds nothing to do.
  const pgdb = opts.database === 'postgres' ? await createPostgresDatabase({ migrated: true }) : null;
  if (!pgdb) await createPgliteFolder(path.join(dataDir, 'pglite'));
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      TIDINGS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      TIDINGS_MASTER_KEY: 'test-master-key-0123456789abcdef',
      // Dovecot and the scripted peers listen on loopback.
      TIDINGS_ALLOW_LOCAL_MAIL_HOSTS: 'true',
      ...opts.env,
    },
    { databaseUrl: pgdb?.url ?? null },
  );
  const server = await startServer(config, { log: createLogger('warn') });
  return {
    url: server.url,
    config,
    db: server.db.db,
    async stop() {
      await server.stop();
      await pgdb?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
