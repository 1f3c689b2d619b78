import { spawn, type ChildProcess } from 'node:child_process';
import { HarnessError } from './errors.ts';
import { waitForPort } from './ports.ts';

export interface MasterProcess {
  pid: number;
  /** Sends a signal to the master (SIGHUP reloads the configuration). */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the master has exited. */
  stop(): Promise<void>;
  /** Synchronous best-effort kill for the process 'exit' hook. */
  killNow(): void;
}

export interface LaunchOptions {
  configPath: string;
  ports: number[];
  dir: string;
  timeoutMs?: number;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function waitGroupGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A shell that blocks reading a pipe from this process: when Node dies by any means (even SIGKILL)
 * the pipe closes and it stops Dovecot and removes the instance folder.
 */
function startWatchdog(masterPid: number, dir: string): ChildProcess {
  const script = 'read _; kill -KILL "-$1" 2>/dev/null; sleep 1; rm -rf "$2"';
  const watchdog = spawn('sh', ['-c', script, 'tidings-dovecot-watchdog', String(masterPid), dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.on('error', () => {
    // Only a safety net; the 'exit' hook and stop() do the normal cleanup.
  });
  watchdog.stdin?.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

async function launchOnce(opts: LaunchOptions): Promise<{ master?: MasterProcess; stderr: string }> {
  // -F keeps the master in the foreground as our child, so we hold its pid and exit status;
  // detached gives it its own process group, so one signal reaches the master and all its children.
  const child = spawn('dovecot', ['-F', '-c', opts.configPath], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  // Unreferenced: a script that forgets stop() still exits, and the exit hook then kills Dovecot.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  const isDead = (): boolean => exited(child) || spawnError !== undefined;
  for (const port of opts.ports) {
    if (!(await waitForPort(port, deadline, isDead))) {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      await waitExit(child, 2_000);
      if (spawnError) throw new HarnessError('DOVECOT_SPAWN_FAILED', 'cannot run dovecot', { cause: spawnError });
      return { stderr: stderr || `dovecot did not listen on ${port}` };
    }
  }
  const pid = child.pid as number;
  const watchdog = startWatchdog(pid, opts.dir);
  const master: MasterProcess = {
    pid,
    signal: (sig) => {
      if (!exited(child)) child.kill(sig);
    },
    stop: async () => {
      watchdog.kill('SIGKILL');
      // SIGTERM to the whole group: every process quits at once (~20 ms), whereas a master told
      // alone waits about a second for its children. Mail is safe: maildir writes are atomic.
      signalGroup(pid, 'SIGTERM');
      const gone = (await waitExit(child, 3_000)) && (await waitGroupGone(pid, 2_000));
      if (!gone) {
        signalGroup(pid, 'SIGKILL');
        await waitExit(child, 2_000);
        await waitGroupGone(pid, 2_000);
      }
    },
    killNow: () => {
      // The watchdog is left alive on purpose: once this process is gone it removes the folder a
      // second time, catching files that dying Dovecot processes wrote after the exit hook's rm.
      signalGroup(pid, 'SIGKILL');
    },
  };
  return { master, stderr };
}

/**
 * Starts a Dovecot master and resolves once every listener accepts connections. Retries while a
 * port is still held by the previous master's exiting children (restart on the same ports).
 */
export async function launchDovecot(opts: LaunchOptions): Promise<MasterProcess> {
  let lastStderr = '';
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const { master, stderr } = await launchOnce(opts);
    if (master) return master;
    lastStderr = stderr;
    if (!/in use/i.test(stderr)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new HarnessError('DOVECOT_START_FAILED', `dovecot did not start: ${lastStderr.trim()}`);
}
