import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Starts test/support/child-sync.ts, a Tidings sync process for tests that kill it. `databaseUrl` '' is the
 * embedded database in `dataDir`. `output()` is all it printed so far, stdout and stderr.
 */
export function startSyncChild(opts: {
  databaseUrl: string;
  dataDir: string;
  masterKey: string;
  holder: string;
  /** For OAuth mailboxes (Graph): the access token the child signs in with. */
  accessToken?: string;
}): {
  child: ChildProcess;
  output: () => string;
} {
  return startChildScript('child-sync.ts', {
    DATABASE_URL: opts.databaseUrl,
    TIDINGS_DATA_DIR: opts.dataDir,
    TIDINGS_MASTER_KEY: opts.masterKey,
    HOLDER: opts.holder,
    ...(opts.accessToken ? { TIDINGS_TEST_ACCESS_TOKEN: opts.accessToken } : {}),
  });
}

/** Runs a script of test/support in a child Node process with `env` added; `output()` is all it printed so far. */
export function startChildScript(script: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}
