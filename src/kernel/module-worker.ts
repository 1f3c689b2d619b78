import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// Our TypeScript sources run through tsx. `execArgv: ['--import', 'tsx']` does not work for a worker on
// Node 20: its entry module is resolved before the loader's hooks are in place (ERR_UNKNOWN_FILE_EXTENSION).
// So a tiny eval'd bootstrap registers tsx's ESM hooks first and then imports the module. The tsx path is
// resolved here so the worker does not depend on the process's cwd. (It is the "import" target of tsx's
// "./esm/api" export; its CommonJS twin cannot register ESM hooks.)
let tsxApi: string | null = null;
function tsxApiUrl(): string {
  tsxApi ??= pathToFileURL(
    path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  return tsxApi;
}

/**
 * Starts a worker thread running our module `name` (e.g. './parse-worker') found beside the module
 * `besideUrl` (the caller's import.meta.url), with that module's extension: the .ts source through tsx
 * (tests, TIDINGS_RUN_FROM_SOURCE), or the .js file built beside the bundle (bin/server-build.js) as is.
 * `what` names the worker in the one line printed if it cannot start.
 */
export function startModuleWorker(besideUrl: string, name: string, what: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const fromSource = new URL(besideUrl).pathname.endsWith('.ts');
  const moduleUrl = new URL(`${name}.${fromSource ? 'ts' : 'js'}`, besideUrl);
  if (!fromSource) return new Worker(moduleUrl, options);
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())})
    .then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(moduleUrl.href)}); })
    .catch((err) => { console.error(${JSON.stringify(`${what} failed to start`)}, err); process.exit(1); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
