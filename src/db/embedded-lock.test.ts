import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseInUseError, lockEmbeddedDatabase, lockFileOf } from './embedded-lock.ts';
import { openDatabase } from './index.ts';

let dir: string;
let children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-lock-'));
});
afterEach(async () => {
  for (const c of children) c.kill('SIGKILL');
  children = [];
  await fs.rm(dir, { recursive: true, force: true });
});

/** A live process that is not us, with the start time Linux gives it. */
async function otherProcess(): Promise<{ child: ChildProcess; pid: number; started: number }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  return { child, pid: child.pid!, started: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) };
}

const writeHolder = (db: string, holder: object) => fs.writeFile(lockFileOf(db), JSON.stringify(holder));
const inUse = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(EmbeddedDatabaseInUseError);

describe('the embedded database lock', () => {
  it('lets one holder in at a time, in this process too, and is free again once released', async () => {
    const db = path.join(dir, 'pglite');
    const lock = await lockEmbeddedDatabase(db);
    expect(lock.file).toBe(path.join(dir, 'pglite.lock'));
    expect(JSON.parse(await fs.readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await inUse(lockEmbeddedDatabase(db));
    await lock.release();
    await expect(fs.access(lock.file)).rejects.toThrow();
    const again = await lockEmbeddedDatabase(db);
    await again.release();
  });

  it('refuses while another live process holds it, and takes over once that process is killed', async () => {
    const db = path.join(dir, 'pglite');
    const other = await otherProcess();
    await writeHolder(db, { pid: other.pid, host: os.hostname(), started: other.started });
    const err = await lockEmbeddedDatabase(db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedDatabaseInUseError);
    expect((err as Error).message).toContain(`process ${other.pid}`);
    expect((err as Error).message).toContain('DATABASE_URL');
    expect((err as EmbeddedDatabaseInUseError).code).toBe('database_in_use');

    other.child.kill('SIGKILL');
    await new Promise((r) => other.child.once('exit', r));
    const lock = await lockEmbeddedDatabase(db);
    expect(JSON.parse(await fs.readFile(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock whose pid now belongs to a process started at another time', async () => {
    const db = path.join(dir, 'pglite');
    const other = await otherProcess();
    await writeHolder(db, { pid: other.pid, host: os.hostname(), started: other.started - 1 });
    const lock = await lockEmbeddedDatabase(db);
    await lock.release();
  });

  it('refuses a lock another host keeps touching, and takes over one it stopped touching', async () => {
    const db = path.join(dir, 'pglite');
    await writeHolder(db, { pid: 1234, host: 'elsewhere.example', started: null });
    const err = (await lockEmbeddedDatabase(db).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(EmbeddedDatabaseInUseError);
    expect(err.message).toContain('on host elsewhere.example');
    expect(err.message).toContain(`delete ${lockFileOf(db)}`);
    const old = new Date(Date.now() - 2 * 60_000); // that host crashed two minutes ago
    await fs.utimes(lockFileOf(db), old, old);
    const lock = await lockEmbeddedDatabase(db);
    await lock.release();
  });

  it('touches its lock while it holds it, so other hosts know it is alive', async () => {
    const db = path.join(dir, 'pglite');
    const lock = await lockEmbeddedDatabase(db, { heartbeatMs: 50 });
    const old = new Date(Date.now() - 2 * 60_000);
    await fs.utimes(lock.file, old, old);
    await new Promise((r) => setTimeout(r, 200));
    expect(Date.now() - (await fs.stat(lock.file)).mtimeMs).toBeLessThan(10_000);
    await lock.release();
  });

  it('waits for a lock being written, and takes over one left empty by a crash long ago', async () => {
    const db = path.join(dir, 'pglite');
    await fs.writeFile(lockFileOf(db), '');
    await inUse(lockEmbeddedDatabase(db)); // just created: somebody is writing it
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lockFileOf(db), old, old);
    const lock = await lockEmbeddedDatabase(db);
    await lock.release();
  });

  it('keeps a second open of the same embedded database out, leaving the first working', async () => {
    const first = await openDatabase({ databaseUrl: null, dataDir: dir });
    try {
      await inUse(openDatabase({ databaseUrl: null, dataDir: dir }));
      expect((await sql<{ n: number }>`select 1 as n`.execute(first.db)).rows[0].n).toBe(1);
    } finally {
      await first.close();
    }
    await expect(fs.access(path.join(dir, 'pglite.lock'))).rejects.toThrow();
    const second = await openDatabase({ databaseUrl: null, dataDir: dir });
    await second.close();
  });
});
