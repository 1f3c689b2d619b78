import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/tidings.js');

export interface TidingsProcess {
  child: ChildProcess;
  /** Where it listens: the API and web app (web, all) or the health check (sync). */
  url: string;
  output(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * `tidings serve --role <role>` of the real CLI in a child process, on a free loopback port, with the
 * settings tests share: PostgreSQL at `databaseUrl`, the data dir (blobs) shared by every process of a
 * test, local mail hosts allowed. TIDINGS_BLOB_URL is passed through when the test run has it.
 */
export async function startTidingsProcess(opts: {
  role: 'web' | 'sync' | 'all';
  databaseUrl: string;
  dataDir: string;
  masterKey: string;
  env?: Record<string, string>;
}): Promise<TidingsProcess> {
  let out = '';
  const child = spawn(process.execPath, [bin, 'serve', '--role', opts.role], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl,
      TIDINGS_DATA_DIR: opts.dataDir,
      TIDINGS_MASTER_KEY: opts.masterKey,
      TIDINGS_ALLOW_LOCAL_MAIL_HOSTS: 'true',
      LOG_LEVEL: 'warn',
      ...(process.env.TIDINGS_BLOB_URL ? { TIDINGS_BLOB_URL: process.env.TIDINGS_BLOB_URL } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // A test runner that dies takes its servers along.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.off('exit', orphan));
  const url = await waitFor(
    `tidings serve --role ${opts.role} to listen`,
    async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${out}`);
      return /running(?: on|; health check on) (http:\/\/[^\s/]+)/.exec(out)?.[1];
    },
    120_000,
    50,
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}; it printed: ${out.slice(-2000)}`);
  });
  return {
    child,
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
