import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-dbworker-'));
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

// The real server in a child process, whose embedded database's thread is then ended as a crash would.
const script = `
  import { loadConfig } from './src/app/config.ts';
  import { startServer } from './src/app/server.ts';
  const server = await startServer(loadConfig({ ...process.env, PORT: '0', TIDINGS_SYNC: 'off', LOG_LEVEL: 'warn' }));
  console.log('STARTED');
  await server.db.embeddedWorker().terminate();
  setTimeout(() => { console.log('STILL RUNNING'); process.exit(0); }, 5000);
`;

it('exits with a clear log line when the embedded database’s thread dies', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, TIDINGS_DATA_DIR: dataDir, TIDINGS_MASTER_KEY: 'test-master-key-0123456789abcdef' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(out).toContain('STARTED');
  expect(out).not.toContain('STILL RUNNING');
  expect(out).toContain('the embedded database stopped unexpectedly');
  expect(code).toBe(1);
}, 90_000);
