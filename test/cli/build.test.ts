import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../bin/node-flags.js';
import { buildServer, root } from '../../bin/server-build.js';

const outdir = path.join(root, 'dist', `test-build-${process.pid}`);
afterAll(() => fs.rm(outdir, { recursive: true, force: true }));

describe('the built server (what npm start runs)', () => {
  it('starts its worker threads from built JavaScript, creates the embedded database and finds every migration', async () => {
    await buildServer(outdir, { probe: path.resolve('test/cli/fixtures/built-probe.ts') });
    const migrations = (await fs.readdir('src/db/migrations')).filter((f) => /^\d.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    // Plain node, no tsx: anything still pointing at a .ts file would fail to load.
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(outdir, 'probe.js')], { timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.url).toMatch(/probe\.js$/);
    expect(out.subject).toContain('#1');
    expect(out.stored).toBe(2); // raw source and attachment, appended by the built parse worker
    expect(out.applied).toBe(migrations.length);
    expect(out.known).toBe(migrations.length); // after reopening: the new database was kept
    expect(out.sharedBuffers).toBe('16MB'); // the embedded database's own settings (pglite-worker.ts)
  }, 120_000);

  it('runs with the V8 flags of bin/node-flags.js from npm start and from the tidings command', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const shebang = (await fs.readFile(path.join(root, 'bin', 'tidings.js'), 'utf8')).split('\n')[0];
    expect(NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of NODE_FLAGS) {
      expect(pkg.scripts.start.split(' ')).toContain(flag);
      expect(shebang.split(' ')).toContain(flag);
    }
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    // Node accepts them (a flag it did not know would stop the server at start).
    const { stdout } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, '-e', 'console.log("ok")']);
    expect(stdout.trim()).toBe('ok');
  });
});
