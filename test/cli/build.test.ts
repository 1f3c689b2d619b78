import { execFile as execFileCb } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
const execFile = promisify(execFileCb);
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_ENV, NODE_FLAGS } from '../../bin/node-flags.js';
import { buildServer, root } from '../../bin/server-build.js';

const outdir = path.join(root, 'dist', `test-build-${process.pid}`);
afterAll(() => fs.rm(outdir, { recursive: true, force: true }));

describe('the built server (what npm start runs)', () => {
  it('starts its worker threads from built JavaScript, creates the embedded database and finds every migration', async () => {
    await buildServer(outdir, { probe: path.resolve('test/cli/fixtures/built-probe.ts') });
    const migrations = (await fs.readdir('src/db/migrations')).filter((f) => /^\d.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    // Plain node, no tsx: anything still pointing at a .ts file would fail to load.
    const { stdout } = await execFile(process.execPath, [path.join(outdir, 'probe.js')], { timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.url).toMatch(/probe\.js$/);
    expect(out.subject).toContain('#1');
    expect(out.stored).toBe(2); // raw source and attachment, appended by the built parse worker
    expect(out.applied).toBe(migrations.length);
    expect(out.known).toBe(migrations.length); // after reopening: the new database was kept
    expect(out.sharedBuffers).toBe('16MB'); // the embedded database's own settings (pglite-worker.ts)
  }, 120_000);

  it('starts with the V8 flags and malloc settings of bin/node-flags.js from npm start and from the tidings command', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const shebang = (await fs.readFile(path.join(root, 'bin', 'tidings.js'), 'utf8')).split('\n')[0];
    expect(shebang.startsWith('#!/usr/bin/env -S ')).toBe(true);
    expect(NODE_FLAGS.length).toBeGreaterThan(0);
    expect(Object.keys(NODE_ENV).length).toBeGreaterThan(0);
    // Each launcher's own words, run as they are with the script swapped for a probe: what the process got.
    const probe = `-p 'JSON.stringify({env:{${Object.keys(NODE_ENV)
      .map((k) => `${k}:process.env.${k}`)
      .join(',')}},flags:process.execArgv})'`;
    const launchers = [
      [
        'npm start',
        () =>
          execFile('sh', ['-c', `${pkg.scripts.start.replace(/ bin\/tidings\.js serve$/, '')} ${probe}`], {
            env: { PATH: process.env.PATH },
          }),
      ],
      [
        'bin/tidings.js',
        () =>
          execFile('/usr/bin/env', [
            '-i',
            `PATH=${process.env.PATH}`,
            '/usr/bin/env',
            '-S',
            `${shebang.slice('#!/usr/bin/env -S '.length)} ${probe}`,
          ]),
      ],
    ] as const;
    for (const [name, run] of launchers) {
      const { stdout } = await run();
      const got = JSON.parse(stdout.trim()) as { env: Record<string, string>; flags: string[] };
      expect(got.env, name).toEqual(NODE_ENV);
      for (const flag of NODE_FLAGS) expect(got.flags, name).toContain(flag);
    }
  });
});
