// Builds Tidings' server from its TypeScript sources into plain JavaScript (esbuild), so it runs without
// compiling at run time. Measured on the sync benchmark's process: tsx's loader costs ~90 MB in the main
// thread and ~25 MB in each worker thread. Plain JavaScript on purpose (types in server-build.d.ts): this runs before anything is built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce, newestMtime } from './build-lock.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverDist = path.join(root, 'dist', 'server');
const src = path.join(root, 'src');

/**
 * The modules started by path at run time, beside every other entry: worker threads (pool.ts,
 * parse-off-thread.ts and pglite-thread.ts load `./<name>.js` next to the bundle that starts them) and the
 * migrations, which the migrator finds by reading the `migrations` folder next to it.
 */
function runtimeEntries() {
  const entries = {
    'parse-worker': path.join(src, 'ingest/parse-worker.ts'),
    'csv-worker': path.join(src, 'crm/csv/csv-worker.ts'),
    'pglite-worker': path.join(src, 'db/pglite-worker.ts'),
  };
  for (const file of fs.readdirSync(path.join(src, 'db/migrations'))) {
    if (/^\d.*\.ts$/.test(file) && !file.endsWith('.test.ts'))
      entries[`migrations/${file.replace(/\.ts$/, '')}`] = path.join(src, 'db/migrations', file);
  }
  return entries;
}

/**
 * Bundles `entries` ({ outName: sourcePath }) with the runtime entries into `outdir`. Packages stay in
 * node_modules (imported as they are). `outdir` must sit two folders below the project root, as src/<module>
 * does, because modules find package.json and web/ by relative paths.
 */
export async function buildServer(outdir, entries) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: { ...entries, ...runtimeEntries() },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

const mainFile = path.join(serverDist, 'main.js');
const isStale = () => {
  const built = fs.statSync(mainFile, { throwIfNoEntry: false });
  return !built || Math.max(newestMtime(src), newestMtime(path.join(root, 'package.json'))) > built.mtimeMs;
};

/**
 * Builds dist/server when it is missing or older than any source, and returns the CLI's entry file.
 * Concurrent starters (tests in parallel) share one build through a lock file; the new build replaces
 * the old one by renames, so a process never loads half of one.
 */
export async function ensureServerBuild() {
  await buildOnce(
    path.join(root, 'dist', '.server-build.lock'),
    isStale,
    async () => {
      const fresh = `${serverDist}.new-${process.pid}`;
      const old = `${serverDist}.old-${process.pid}`;
      fs.rmSync(fresh, { recursive: true, force: true });
      await buildServer(fresh, { main: path.join(src, 'cli/main.ts') });
      if (fs.existsSync(serverDist)) fs.renameSync(serverDist, old);
      fs.renameSync(fresh, serverDist);
      fs.rmSync(old, { recursive: true, force: true });
    },
    120_000,
  );
  return mainFile;
}
