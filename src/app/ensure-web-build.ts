import fs from 'node:fs';
import path from 'node:path';
import { webDist, webRoot } from './web-assets.ts';

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

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
  const lock = path.join(webRoot, '.build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (Date.now() > deadline) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 250));
      if (!webBuildIsStale()) return;
    }
  }
  try {
    if (!webBuildIsStale()) return;
    log('Building the web app (first start or sources changed)...');
    const { build } = await import('vite');
    await build({ configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
