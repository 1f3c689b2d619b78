import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../app/config.ts';
import { version } from '../kernel/index.ts';
import { EmbeddedDatabaseInUseError, openDatabase, redactUrl } from '../db/index.ts';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Checks what a running Tidings depends on and prints one line per check. */
export async function runDoctor(config: Config): Promise<number> {
  const checks: Check[] = [];
  checks.push({ name: 'versions', ok: true, detail: `Tidings ${version}, Node.js ${process.versions.node}` });

  try {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const row = await sql<{ v: string }>`select version() as v`.execute(db.db);
      const trgm = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db.db);
      checks.push({
        name: 'database',
        ok: true,
        detail: `${config.databaseUrl ? redactUrl(config.databaseUrl) : 'embedded PGlite'}: ${row.rows[0]?.v.split(' on ')[0]}`,
      });
      checks.push({
        name: 'pg_trgm',
        ok: trgm.rows[0]?.n === 1,
        detail: trgm.rows[0]?.n === 1 ? 'loaded' : 'missing: run "create extension pg_trgm" as a superuser',
      });
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof EmbeddedDatabaseInUseError && error.holder.host === os.hostname()) {
      // A running server holds it: that is the normal case, and opening it here would be refused.
      checks.push({
        name: 'database',
        ok: true,
        detail: `embedded PGlite in ${error.dir}: open in the running Tidings (process ${error.holder.pid}), not checked from here`,
      });
    } else {
      checks.push({ name: 'database', ok: false, detail: (error as Error).message });
    }
  }

  try {
    await fs.mkdir(config.dataDir, { recursive: true });
    const probe = path.join(config.dataDir, `.doctor-${process.pid}`);
    await fs.writeFile(probe, 'ok');
    await fs.rm(probe);
    checks.push({ name: 'data dir', ok: true, detail: `${config.dataDir} is writable` });
  } catch (error) {
    checks.push({ name: 'data dir', ok: false, detail: `${config.dataDir} is not writable: ${(error as Error).message}` });
  }

  const keyFile = path.join(config.dataDir, 'master.key');
  const keyFileExists = await fs.stat(keyFile).then(
    () => true,
    () => false,
  );
  checks.push({
    name: 'master key',
    ok: Boolean(config.masterKey) || keyFileExists,
    detail: config.masterKey
      ? 'from TIDINGS_MASTER_KEY'
      : keyFileExists
        ? `key file ${keyFile}`
        : `none yet: it is created in ${keyFile} at first start, or set TIDINGS_MASTER_KEY`,
  });

  for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(11)} ${c.detail}`);
  return checks.every((c) => c.ok || c.name === 'master key') ? 0 : 1;
}
