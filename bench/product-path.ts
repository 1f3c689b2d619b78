/**
 * The import as a user gets it: a Tidings server started as `npm start` starts it (built JavaScript, the
 * same V8 flags and malloc settings), the mailbox bound through `POST /api/v1/mailboxes`, and the time
 * until every message is stored and linked to its company (what a user sees on the company's timeline).
 * Used by bench/sync.ts; it talks to the server over HTTP only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NODE_ENV, NODE_FLAGS } from '../bin/node-flags.js';
import { freePort } from '../test/harness/ports.ts';
import { cpuBetween, cpuByCommand } from './process-cpu.ts';

export interface ProductPathOptions {
  kind: 'postgres' | 'pglite';
  /** For postgres: an empty database the server may migrate. */
  databaseUrl: string | null;
  work: string;
  imapsPort: number;
  certPem: string;
  user: string;
  password: string;
  /** How many messages the mailbox holds; the run ends when all are stored and linked. */
  expected: number;
  /** Every fixture message has a participant at this domain, so each links to one company. */
  companyDomain: string;
}

export interface Phase {
  name: string;
  seconds: number;
  /** CPU seconds of the Tidings process (all its threads) and of every PostgreSQL and Dovecot process. */
  tidingsCpu: number;
  otherCpu: Array<[string, number]>;
}

export interface ProductPathResult {
  /** From sending the bind request until every message is stored and linked. */
  seconds: number;
  bindAnsweredAfter: number;
  firstStoredAfterAnswer: number;
  allStoredAfter: number;
  phases: Phase[];
}

const ROOT = path.resolve(import.meta.dirname, '..');
// Until the first message shows the poll is quick, so that time is read to within ~25 ms; then it eases off.
const FIRST_POLL_MS = 25;
const POLL_MS = 100;

/** utime + stime of a process and its threads, in seconds (Linux /proc). */
function processCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A signed-in browser's session over HTTP: cookies and the CSRF header. */
export class Session {
  private cookie = '';
  private csrf = '';
  constructor(readonly base: string) {}

  async request<T>(method: string, url: string, body?: unknown): Promise<{ status: number; data: T }> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      this.cookie = [...this.cookie.split('; ').filter((c) => c && !c.startsWith(`${name}=`)), `${name}=${value}`].join('; ');
      if (name === 'tidings_csrf') this.csrf = value!;
    }
    const text = await res.text();
    return { status: res.status, data: (text ? JSON.parse(text) : null) as T };
  }
}

/** `tidings serve` as `npm start` runs it, trusting the bench Dovecot's certificate; resolves once it answers. */
export async function startServer(
  o: Pick<ProductPathOptions, 'work' | 'certPem' | 'databaseUrl'>,
  port: number,
  dataDir: string,
): Promise<ChildProcess> {
  const caFile = path.join(o.work, 'dovecot-ca.pem');
  await fs.writeFile(caFile, o.certPem);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...NODE_ENV,
    PORT: String(port),
    HOST: '127.0.0.1',
    TIDINGS_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TIDINGS_MASTER_KEY: 'bench-master-key-0123456789abcdef',
    TIDINGS_EXTRA_CA_FILE: caFile,
    TIDINGS_ALLOW_LOCAL_MAIL_HOSTS: 'true', // the bench's Dovecot listens on loopback
  };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...NODE_FLAGS, path.join(ROOT, 'bin/tidings.js'), 'serve'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
    if (Date.now() > deadline) throw new Error('the server did not answer within 60 s');
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function productPathImport(o: ProductPathOptions): Promise<ProductPathResult> {
  const dataDir = path.join(o.work, `product-${o.kind}`);
  await fs.mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const server = await startServer(o, port, dataDir);
  try {
    const api = new Session(`http://127.0.0.1:${port}`);
    const setup = await api.request('POST', '/api/v1/setup', {
      email: 'admin@bench.example',
      name: 'Bench Admin',
      password: 'bench-admin-password-1',
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
    const company = await api.request<{ company: { id: string } }>('POST', '/api/v1/companies', {
      name: 'Bench customer',
      domains: [o.companyDomain],
    });
    if (company.status !== 201) throw new Error(`creating the company answered ${company.status}`);
    const companyId = company.data.company.id;

    const phases: Phase[] = [];
    let mark = { at: performance.now(), tidings: processCpu(server.pid!), machine: cpuByCommand() };
    const endPhase = (name: string) => {
      const now = { at: performance.now(), tidings: processCpu(server.pid!), machine: cpuByCommand() };
      const other = cpuBetween(mark.machine, now.machine, 0.05).filter(
        ([comm]) => comm === 'postgres' || comm === 'imap' || comm.startsWith('dovecot'),
      );
      phases.push({ name, seconds: (now.at - mark.at) / 1000, tidingsCpu: now.tidings - mark.tidings, otherCpu: other });
      mark = now;
    };

    const t0 = performance.now();
    const bound = await api.request<{ mailbox: { id: string } }>('POST', '/api/v1/mailboxes', {
      email: o.user,
      password: o.password,
      imap: { host: '127.0.0.1', port: o.imapsPort, security: 'tls' },
      smtp: null,
      backfill: 'all',
    });
    if (bound.status !== 201) throw new Error(`binding answered ${bound.status}: ${JSON.stringify(bound.data)}`);
    const mailboxId = bound.data.mailbox.id;
    const answeredAt = performance.now();
    endPhase('bind request (connection test)');

    let firstAt = 0;
    let storedAt = 0;
    for (;;) {
      // What the inbox shows: the folders' message counts.
      const folders = await api.request<{ items: Array<{ total: number }> }>('GET', `/api/v1/mailboxes/${mailboxId}/folders`);
      const stored = (folders.data.items ?? []).reduce((sum, f) => sum + f.total, 0);
      if (stored > 0 && !firstAt) {
        firstAt = performance.now();
        endPhase('to the first message stored');
      }
      if (stored >= o.expected) {
        storedAt = performance.now();
        endPhase('import (every message stored)');
        break;
      }
      await new Promise((r) => setTimeout(r, firstAt ? POLL_MS : FIRST_POLL_MS));
    }
    for (;;) {
      const dash = await api.request<{ mailByCompany: Array<{ id: string; sent: number; received: number }> }>(
        'GET',
        '/api/v1/dashboard?scope=team',
      );
      const row = dash.data.mailByCompany.find((c) => c.id === companyId);
      if (row && row.sent + row.received >= o.expected) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const linkedAt = performance.now();
    endPhase('linking after the last message stored');
    return {
      seconds: (linkedAt - t0) / 1000,
      bindAnsweredAfter: (answeredAt - t0) / 1000,
      firstStoredAfterAnswer: (firstAt - answeredAt) / 1000,
      allStoredAfter: (storedAt - t0) / 1000,
      phases,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
  }
}

export function describePhases(kind: string, r: ProductPathResult): string[] {
  return r.phases.map((p) => {
    const other = p.otherCpu.map(([comm, s]) => `${comm} ${s.toFixed(1)} s`).join(', ');
    return `  ${kind} · ${p.name}: ${p.seconds.toFixed(2)} s; CPU Tidings ${p.tidingsCpu.toFixed(1)} s${other ? `, ${other}` : ''}`;
  });
}
