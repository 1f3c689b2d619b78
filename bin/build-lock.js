// What the server build (bin/server-build.js) and the web build (src/app/ensure-web-build.ts) share:
// telling whether sources changed since a build, and letting one of several starting processes build.
// Plain JavaScript (types in build-lock.d.ts): it runs before anything is built.
import fs from 'node:fs';
import path from 'node:path';

/** The newest modification time (ms) of a file or of anything in a folder; 0 when it does not exist. */
export function newestMtime(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/**
 * Runs `build` when `isStale()`, one process at a time: concurrent starters (tests in parallel) wait on
 * the lock file and find the build done. A lock older than `staleLockMs` is taken over (its owner died).
 */
export async function buildOnce(lock, isStale, build, staleLockMs = 180_000) {
  if (!isStale()) return;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + staleLockMs;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (Date.now() > deadline) fs.rmSync(lock, { force: true });
      await new Promise((r) => setTimeout(r, 200));
      if (!isStale()) return;
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
