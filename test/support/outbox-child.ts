import type { ChildProcess } from 'node:child_process';
import type { HoldPoint } from '../../src/outbox/test-hold.ts';
import { startChildScript } from './sync-child.ts';

/** Starts test/support/child-outbox.ts, an outbox worker in a child process (PostgreSQL only). */
export function startOutboxChild(opts: { databaseUrl: string; dataDir: string; masterKey: string; holder: string; holdAt?: HoldPoint }): {
  child: ChildProcess;
  output: () => string;
} {
  return startChildScript('child-outbox.ts', {
    DATABASE_URL: opts.databaseUrl,
    TIDINGS_DATA_DIR: opts.dataDir,
    TIDINGS_MASTER_KEY: opts.masterKey,
    HOLDER: opts.holder,
    ...(opts.holdAt ? { TIDINGS_TEST_OUTBOX_HOLD_AT: opts.holdAt } : {}),
  });
}
