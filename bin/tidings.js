#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.arena_max=1 node --max-semi-space-size=4
// Tidings runs from JavaScript built out of its TypeScript sources into dist/server on first start and
// whenever a source changed (bin/server-build.js): no separate build step to forget, and no compiler in
// the running process. TIDINGS_RUN_FROM_SOURCE=1 runs the sources through tsx instead.
if (process.env.TIDINGS_RUN_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  const { ensureServerBuild } = await import('./server-build.js');
  const { pathToFileURL } = await import('node:url');
  await import(pathToFileURL(await ensureServerBuild()).href);
}
