import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by every process on the machine, grouped by command name (Linux /proc).
 * Reaped children count in their parent's total, so a snapshot taken before and after a phase
 * tells how the machine's CPU was shared between Tidings, PostgreSQL, Dovecot and mbsync.
 */
export function cpuByCommand(): Map<string, number> {
  const ticks = 100; // USER_HZ: 100 on every Linux this runs on
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14–17 of stat; fields[] starts at field 3.
    const used = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / ticks;
    out.set(comm, (out.get(comm) ?? 0) + used);
  }
  return out;
}

/** The CPU seconds each command used between two snapshots, largest first, above `min` seconds. */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>, min = 0.2): Array<[string, number]> {
  const rows: Array<[string, number]> = [];
  for (const [comm, total] of after) {
    const used = total - (before.get(comm) ?? 0);
    if (used >= min) rows.push([comm, used]);
  }
  return rows.sort((a, b) => b[1] - a[1]);
}

/**
 * CPU seconds used so far by each thread of this process, user and system time apart: keyed "main user",
 * "main sys" for the main thread and "thread <tid> user|sys" for the others (Node 20 names them all "node":
 * parse workers, V8's helpers, libuv's pool).
 */
export function cpuByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = Number(tid) === process.pid ? 'main' : `thread ${tid}`;
    out.set(`${name} user`, Number(fields[11]) / 100);
    out.set(`${name} sys`, Number(fields[12]) / 100);
  }
  return out;
}
