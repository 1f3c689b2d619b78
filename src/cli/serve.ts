import type { Config } from '../app/config.ts';
import { ensureWebBuild } from '../app/ensure-web-build.ts';
import { startServer } from '../app/server.ts';
import { missingStartSettings } from '../app/start-settings.ts';
import { migrateToLatest, openDatabase } from '../db/index.ts';

/** The longest a stop may take before the process exits regardless. */
const STOP_DEADLINE_MS = 10_000;

export async function runServe(config: Config): Promise<number> {
  // A sync process serves no web app.
  if (config.role !== 'sync') await ensureWebBuild((msg) => console.log(msg));
  const server = await startServer(config);
  const where = config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`;
  if (config.role === 'sync') console.log(`Tidings (sync role) is running; health check on ${server.url}/api/v1/health (${where}).`);
  else console.log(`Tidings${config.role === 'web' ? ' (web role)' : ''} is running on ${config.baseUrl ?? server.url} (${where}).`);
  const missing = missingStartSettings();
  if (missing.length) {
    server.log.warn(
      { missing },
      'started without the settings npm start uses: expect more memory while mail imports (docs/operations.md, "Start and stop")',
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'stopping');
    // Whatever hangs (a mail server that does not answer a logout, a stuck query), the process ends.
    setTimeout(() => {
      server.log.error({ signal }, `did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1; // keep running
}

export async function runMigrate(config: Config): Promise<number> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(db.db);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await db.close();
  }
}
