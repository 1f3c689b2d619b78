import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildOnce, newestMtime } from '../../bin/build-lock.js';
import { webDist, webRoot } from './web-assets.ts';

/** True when web/dist is missing or older than any source of the web app. */
export function webBuildIsStale(): boolean {
  const built = fs.statSync(path.join(webDist, 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  const sources = ['src', 'index.html', 'vite.config.ts', 'public'].map((p) => newestMtime(path.join(webRoot, p)));
  return Math.max(...sources) > built.mtimeMs;
}

/**
 * Builds the web app when needed, so `npm start` on a fresh clone serves the UI. Vite is a dev dependency;
 * `npm install` brings it. Concurrent starters (tests in parallel) share one build through a lock file.
 */
export async function ensureWebBuild(log: (msg: string) => void = () => {}): Promise<void> {
  if (!webBuildIsStale()) return;
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) return; // no web app in this checkout
  await buildOnce(path.join(webRoot, '.build.lock'), webBuildIsStale, async () => {
    log('Building the web app (first start or sources changed)...');
    await runViteBuild();
  });
}

/**
 * In a child process: a build takes about 1 GB that the C allocator keeps for good, and the server that
 * started it would carry that through its whole life.
 */
async function runViteBuild(): Promise<void> {
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [vite, 'build', '--config', path.join(webRoot, 'vite.config.ts'), '--logLevel', 'warn'];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: webRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`building the web app failed (vite exited with ${signal ?? code})`)),
    );
  });
}
