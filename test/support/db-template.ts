import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildOnce } from '../../bin/build-lock.js';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';

/**
 * Migrated template databases, so a test database is a copy instead of a new cluster plus every migration.
 * Measured on the 2-core machine: a fresh PGlite (initdb in WebAssembly) and its migrations cost ~3-5 s of
 * CPU, a copy of the migrated folder ~0.5 s; on PostgreSQL `create database … template` takes ~0.2 s where
 * the migrations took ~2.5-5 s. The suite makes a few hundred databases.
 *
 * A template is named by a hash of what shapes it (the migrations, the migrator, the embedded database's
 * settings and PGlite's version), so a changed migration makes a new one and runs that share a hash share
 * it: PGlite's in the system temp folder, PostgreSQL's as database `tidings_template_<hash>` on the test
 * server. Old templates are left behind (a few MB each; delete them at will: they are rebuilt on demand).
 */

const dbSources = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/db');

function templateKey(): string {
  const hash = createHash('sha256');
  const migrations = path.join(dbSources, 'migrations');
  const files = [
    ...fs
      .readdirSync(migrations)
      .sort()
      .map((f) => path.join(migrations, f)),
    path.join(dbSources, 'migrator.ts'),
    path.join(dbSources, 'pglite-worker.ts'),
  ];
  for (const file of files) hash.update(path.basename(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  // PGlite's files change with its version (its package.json is not among its exports).
  let pglite = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  while (!fs.existsSync(path.join(pglite, 'package.json'))) pglite = path.dirname(pglite);
  hash.update(JSON.parse(fs.readFileSync(path.join(pglite, 'package.json'), 'utf8')).version);
  return hash.digest('hex').slice(0, 16);
}

let key: string | null = null;
const keyOnce = () => (key ??= templateKey());

/** The folder of a migrated embedded database to copy (never to open: it is shared by every test). */
let pgliteTemplate: Promise<string> | null = null;
export function pgliteTemplateDir(): Promise<string> {
  pgliteTemplate ??= buildPgliteTemplate().catch((err) => {
    pgliteTemplate = null; // the next caller tries again
    throw err;
  });
  return pgliteTemplate;
}

async function buildPgliteTemplate(): Promise<string> {
  const home = path.join(os.tmpdir(), `tidings-test-template-${keyOnce()}`);
  const dir = path.join(home, 'pglite');
  const missing = () => !fs.existsSync(path.join(dir, 'PG_VERSION'));
  await buildOnce(`${home}.lock`, missing, async () => {
    const building = `${home}.build-${process.pid}`;
    fs.rmSync(building, { recursive: true, force: true });
    const db = await openDatabase({ databaseUrl: null, dataDir: building, pgliteDir: path.join(building, 'pglite') });
    try {
      await migrateToLatest(db.db);
    } finally {
      await db.close();
    }
    fs.rmSync(path.join(building, 'pglite.lock'), { force: true });
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(building, home);
  });
  return dir;
}

/** Copies the migrated embedded database to `dir` (which must not exist yet). */
export async function copyPgliteTemplate(dir: string): Promise<void> {
  await fs.promises.cp(await pgliteTemplateDir(), dir, { recursive: true });
}

/**
 * The name of a migrated PostgreSQL database to create others from (`create database … template`). Built
 * once per hash under an advisory lock, so parallel test files (and parallel runs) wait for one build.
 */
let postgresTemplate: Promise<string> | null = null;
export function postgresTemplateName(adminUrl: string): Promise<string> {
  postgresTemplate ??= buildPostgresTemplate(adminUrl);
  return postgresTemplate;
}

async function buildPostgresTemplate(adminUrl: string): Promise<string> {
  const name = `tidings_template_${keyOnce()}`;
  const building = `${name}_building`;
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    // One lock for every Tidings template build on this server; a session lock ends with the session.
    await client.query(`select pg_advisory_lock(hashtext('tidings test template'))`);
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`drop database if exists ${building} with (force)`);
      await client.query(`create database ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '/nonexistent' });
      try {
        await migrateToLatest(db.db);
      } finally {
        await db.close();
      }
      await client.query(`alter database ${building} rename to ${name}`);
    }
  } catch (err) {
    postgresTemplate = null; // the next caller tries again
    throw err;
  } finally {
    await client.end();
  }
  return name;
}
