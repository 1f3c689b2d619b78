import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../api/context.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/index.ts';
import { buildApp } from './build-app.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { startServices } from './services.ts';
import { buildSyncHealthApp } from './sync-health.ts';

/** How long requests in flight may take to finish once the server is asked to stop. */
export const CLOSE_GRACE_MS = 2000;

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  db: Db;
  log: Logger;
  stop(): Promise<void>;
}

/**
 * Opens the database, migrates, starts services and listens. Everything is undone by stop(). The sync
 * role listens for its health check only (sync-health.ts); web and all serve the API and the web app.
 */
export async function startServer(
  config: Config,
  opts: { log?: Logger; pgliteDir?: string; onDatabaseLost?: (err: Error) => void } = {},
): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  // A process whose database is gone answers every request with an error: better to end it and let the
  // service manager (systemd, Docker, Kubernetes) start it again.
  const onDatabaseLost =
    opts.onDatabaseLost ??
    ((err: Error) => {
      log.fatal({ err }, 'the embedded database stopped unexpectedly; exiting so that Tidings can be started again');
      process.exit(1);
    });
  // The data dir holds the database, the mail and the master key file: its owner's alone.
  await fs.mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgliteDir: opts.pgliteDir,
    poolSize: config.databasePoolSize,
    onEmbeddedLost: onDatabaseLost,
  });
  let app: FastifyInstance | undefined;
  let services: { services: AppServices; stop(): Promise<void> } | undefined;
  try {
    await migrateToLatest(db.db);
    services = await startServices({ config, db: db.db, log });
    app =
      config.role === 'sync'
        ? buildSyncHealthApp({ db: db.db, sync: services.services.sync ?? null })
        : await buildApp({ config, db: db.db, log, services: services.services });
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace('[::1]', 'localhost');
    return {
      app,
      url,
      db,
      log,
      async stop() {
        // Requests in flight get a moment to finish; then every connection goes, including those a
        // browser opened ahead and never used, which the server would otherwise wait on for a minute.
        const force = setTimeout(() => app!.server.closeAllConnections(), CLOSE_GRACE_MS);
        try {
          await app!.close();
        } finally {
          clearTimeout(force);
        }
        await services!.stop();
        await db.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await services?.stop().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}
