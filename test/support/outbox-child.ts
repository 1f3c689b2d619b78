import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HoldPoint } from '../../src/outbox/test-hold.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts test/support/child-outbox.ts, an outbox worker in a child process (PostgreSQL only). */
export function startOutboxChild(opts: { databaseUrl: string; dataDir: string; masterKey: string; holder: string; holdAt?: HoldPoint }): {
  child: ChildProcess;
  output: () => string;
} {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'child-outbox.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      TIDINGS_DATA_DIR: opts.dataDir,
      TIDINGS_MASTER_KEY: opts.masterKey,
      HOLDER: opts.holder,
      ...(opts.holdAt ? { TIDINGS_TEST_OUTBOX_HOLD_AT: opts.holdAt } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}
