import fs from 'node:fs';
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
    const { build } = await import('vite');
    await build({ configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  });
}
