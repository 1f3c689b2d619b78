import { readFileSync, unlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../kernel/index.ts';

/**
 * One process at a time per embedded database. PGlite has no lock of its own: a second process (a
 * second `npm start`, or `tidings admin create` beside a running server) opens the same files and
 * both write, which corrupts the database (seen: rows of one process beside the sequences of the
 * other, "duplicate key" ever after). A lock file beside the data folder says which process has it.
 *
 * A lock left by a process that died (kill -9, power loss) is taken over: its process is gone, or its
 * pid now belongs to a process that started at another time. The holder also touches the file every
 * 15 seconds, so a lock from another host (a folder shared over the network, or a container recreated
 * under a new hostname after a crash) is taken over once it has not been touched for a minute.
 */

export class EmbeddedDatabaseInUseError extends DomainError<'database_in_use'> {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    const where = holder.host === os.hostname() ? `process ${holder.pid}` : `process ${holder.pid} on host ${holder.host}`;
    super(
      'database_in_use',
      `The embedded database in ${dir} is in use by another Tidings (${where}). Only one process can open it: stop that one first, ` +
        `or use a PostgreSQL server (DATABASE_URL) for several processes.` +
        (holder.host === os.hostname() ? '' : ` If no Tidings runs there any more, start again in a minute (or delete ${lockFile}).`),
    );
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid; null elsewhere. */
  started: number | null;
}

export interface EmbeddedLock {
  readonly file: string;
  release(): Promise<void>;
}

export interface EmbeddedLockOptions {
  /** How often the holder touches the lock file (default 15 s). */
  heartbeatMs?: number;
  /** A lock from another host untouched this long is stale (default a minute). */
  staleAfterMs?: number;
}

/** The lock file of the embedded database in `dir`: beside the folder, so initdb finds it empty. */
export function lockFileOf(dir: string): string {
  const abs = path.resolve(dir);
  return path.join(path.dirname(abs), `${path.basename(abs)}.lock`);
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces), or null off Linux. */
function processStart(pid: number): { started: number; zombie: boolean } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { started: Number(fields[19]), zombie: fields[0] === 'Z' };
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  if (!(holder.pid > 0)) return false; // a torn file's placeholder (and kill(0 or -1) means a group)
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: alive, under another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStart(holder.pid);
  if (now?.zombie) return false;
  if (holder.started !== null && now !== null && now.started !== holder.started) return false; // pid reused
  return true;
}

const held = new Set<string>();
let exitHookInstalled = false;

/** Locks the embedded database in `dir` for this process, or throws EmbeddedDatabaseInUseError. */
export async function lockEmbeddedDatabase(dir: string, opts: EmbeddedLockOptions = {}): Promise<EmbeddedLock> {
  const staleAfterMs = opts.staleAfterMs ?? 60_000;
  const file = lockFileOf(dir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), started: processStart(process.pid)?.started ?? null };
  if (held.has(file)) throw new EmbeddedDatabaseInUseError(dir, me, file);
  await fs.mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const found = await readHolder(file);
    if (found === 'gone') continue; // released meanwhile
    if (found === 'being-written') {
      // Another process created it a moment ago and is writing its pid.
      if (attempt < 20) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      throw new EmbeddedDatabaseInUseError(dir, { pid: 0, host: 'unknown', started: null }, file);
    }
    const stale = found.holder.host === me.host ? !isAlive(found.holder) : found.ageMs > staleAfterMs;
    if (!stale) throw new EmbeddedDatabaseInUseError(dir, found.holder, file);
    // Stale: remove it unless someone replaced it since we read it (a second starter taking it over).
    const now = await fs.stat(file).catch(() => null);
    if (now && now.ino === found.ino) await fs.unlink(file).catch(() => undefined);
    if (attempt >= 5) throw new EmbeddedDatabaseInUseError(dir, found.holder, file);
  }
  held.add(file);
  // The sign of life that lets another host tell this lock from one left by a crash.
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now).catch(() => undefined);
  }, opts.heartbeatMs ?? 15_000);
  heartbeat.unref();
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A process that exits without closing its database (an uncaught error) leaves no lock behind.
    process.once('exit', () => {
      for (const f of held) releaseSync(f);
    });
  }
  return {
    file,
    async release() {
      clearInterval(heartbeat);
      if (!held.delete(file)) return;
      releaseSync(file);
    },
  };
}

/** Removes the lock file if it is still this process's. */
function releaseSync(file: string): void {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    if (holder.pid === process.pid && holder.host === os.hostname()) unlinkSync(file);
  } catch {
    // Gone already, or not ours to remove.
  }
}

async function readHolder(file: string): Promise<{ holder: LockHolder; ino: number; ageMs: number } | 'gone' | 'being-written'> {
  let text: string;
  let ino: number;
  let ageMs: number;
  try {
    const handle = await fs.open(file, 'r');
    try {
      const st = await handle.stat();
      ino = st.ino;
      ageMs = Date.now() - st.mtimeMs;
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isInteger(holder.pid) && typeof holder.host === 'string') return { holder, ino, ageMs };
  } catch {
    // fall through
  }
  // Empty or torn: being written now, or left by a crash between create and write (then stale).
  if (ageMs < 5_000) return 'being-written';
  return { holder: { pid: -1, host: os.hostname(), started: null }, ino, ageMs };
}
