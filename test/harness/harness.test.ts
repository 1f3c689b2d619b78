import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSigned, createTestCa, startDovecot, startSmtp } from './index.ts';
import type { DovecotInstance, SmtpInstance } from './index.ts';
import { waitFor } from '../support/wait.ts';

const USER = 'alice@example.test';
const PASSWORD = 'correct horse: battery';
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

function imapClient(server: DovecotInstance, extra: Partial<ImapFlowOptions> = {}): ImapFlow {
  const client = new ImapFlow({
    host: server.host,
    port: server.imapsPort,
    secure: true,
    tls: { ca: [server.certPem] },
    auth: { user: USER, pass: PASSWORD },
    logger: false,
    clientInfo: { name: 'harness-test-client' },
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
    ...extra,
  });
  client.on('error', () => {
    // Surfaced through the rejected command; the listener keeps a late socket error from crashing.
  });
  return client;
}

async function withImap<T>(client: ImapFlow, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  try {
    await client.connect();
    return await fn(client);
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

async function subjects(server: DovecotInstance, folder = 'INBOX'): Promise<string[]> {
  return withImap(imapClient(server), async (c) => {
    const lock = await c.getMailboxLock(folder);
    try {
      const out: string[] = [];
      if (c.mailbox && c.mailbox.exists > 0) {
        for await (const m of c.fetch('1:*', { envelope: true })) out.push(m.envelope?.subject ?? '');
      }
      return out;
    } finally {
      lock.release();
    }
  });
}

/** Fingerprint of the certificate served on `port`, trusting `ca` only. */
function servedFingerprint(port: number, ca: string, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: [ca], servername, timeout: 5_000 });
    socket.on('secureConnect', () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('timeout', () => socket.destroy(new Error('TLS handshake timed out')));
    socket.on('error', reject);
  });
}

/** Speaks raw IMAP on the plain port: greeting plus the reply to one LOGIN attempt. */
function plainLoginAttempt(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no reply')));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n') && !text.includes('a1 ')) socket.write(`a1 LOGIN ${USER} "x"\r\n`);
      if (/\r\na1 (OK|NO|BAD)[^\r]*\r\n/.test(text)) socket.end();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

function transport(smtp: SmtpInstance, opts: { port: number; secure: boolean; pass?: string; ignoreTLS?: boolean }) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: opts.port,
    secure: opts.secure,
    requireTLS: !opts.secure && !opts.ignoreTLS,
    ignoreTLS: opts.ignoreTLS ?? false,
    tls: { ca: [smtp.certPem] },
    auth: { user: USER, pass: opts.pass ?? PASSWORD },
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
}

describe('certificates', () => {
  it('issues CA-signed and self-signed certificates with Node-format fingerprints', async () => {
    const ca = await createTestCa();
    const leaf = await ca.issue({ commonName: 'localhost', altNames: ['DNS:localhost', 'IP:127.0.0.1'] });
    const self = await createSelfSigned({ commonName: 'localhost', altNames: ['IP:127.0.0.1'] });
    expect(leaf.fingerprint256).toMatch(FINGERPRINT);
    expect(self.fingerprint256).toMatch(FINGERPRINT);
    expect(ca.caPem).toContain('BEGIN CERTIFICATE');
    expect(leaf.keyPem).toContain('PRIVATE KEY');
    // The leaf verifies against the CA and not against an unrelated root.
    const server = tls.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      expect(await servedFingerprint(port, ca.caPem, 'localhost')).toBe(leaf.fingerprint256);
      await expect(servedFingerprint(port, self.certPem, 'localhost')).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});

describe('dovecot + smtp (self-signed)', () => {
  let dovecot: DovecotInstance;
  let smtp: SmtpInstance;

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtp({ dovecot });
    await dovecot.addUser(USER, PASSWORD);
  });

  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
  });

  it('serves IMAPS trusted through the self-signed certificate, with appended mail and flags', async () => {
    expect(dovecot.fingerprint256).toMatch(FINGERPRINT);
    expect(dovecot.caPem).toBeUndefined();
    await dovecot.append(USER, 'INBOX', 'Subject: first\r\nFrom: a@example.test\r\n\r\nhello\r\n');
    await dovecot.append(USER, 'INBOX', Buffer.from('Subject: second\r\n\r\nflagged\r\n'), ['\\Seen', '$Work']);
    await withImap(imapClient(dovecot), async (c) => {
      expect(c.secureConnection).toBe(true);
      for (const cap of ['IDLE', 'CONDSTORE', 'QRESYNC', 'SPECIAL-USE', 'COMPRESS=DEFLATE', 'ID']) {
        expect(c.capabilities.has(cap), cap).toBe(true);
      }
      const lock = await c.getMailboxLock('INBOX');
      try {
        const got: Array<[string, string[]]> = [];
        for await (const m of c.fetch('1:*', { envelope: true, flags: true })) {
          got.push([m.envelope?.subject ?? '', [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort()]);
        }
        expect(got).toEqual([
          ['first', []],
          ['second', ['$Work', '\\Seen']],
        ]);
      } finally {
        lock.release();
      }
      const uses = Object.fromEntries((await c.list()).map((m) => [m.path, m.specialUse]));
      expect(uses).toMatchObject({ Sent: '\\Sent', Drafts: '\\Drafts', Trash: '\\Trash', Junk: '\\Junk', Archive: '\\Archive' });
    });
    expect(await dovecot.readLog()).toContain('ID sent: name=harness-test-client');
  });

  it('wakes an IDLE session when the harness appends', async () => {
    await withImap(imapClient(dovecot, { autoIdleDelay: 50 }), async (c) => {
      // Copied at once: imapflow updates the mailbox object in place when EXISTS arrives.
      const before = (await c.mailboxOpen('INBOX')).exists;
      const seen = new Promise<number>((resolve) => c.on('exists', (e) => resolve(e.count)));
      await waitFor('IDLE to start', async () => (c.idling ? true : undefined), 3_000);
      await dovecot.append(USER, 'INBOX', 'Subject: while idling\r\n\r\nx\r\n');
      expect(await seen).toBe(before + 1);
    });
  });

  it('offers STARTTLS on the plain port and refuses plaintext LOGIN before it', async () => {
    const reply = await plainLoginAttempt(dovecot.imapPort);
    expect(reply).toContain('STARTTLS');
    expect(reply).toContain('LOGINDISABLED');
    expect(reply).toMatch(/a1 NO /);
    await withImap(imapClient(dovecot, { port: dovecot.imapPort, secure: false, doSTARTTLS: true }), async (c) => {
      expect(c.secureConnection).toBe(true);
      expect(c.authenticated).toBeTruthy();
    });
  });

  it('rejects a wrong IMAP password', async () => {
    await expect(withImap(imapClient(dovecot, { auth: { user: USER, pass: 'wrong' } }), async () => 1)).rejects.toThrow();
  });

  it('knows users added in quick succession at once (Dovecot reads its users file at most once a second)', async () => {
    for (let i = 0; i < 4; i++) {
      const user = `burst${i}@example.test`;
      await dovecot.addUser(user, PASSWORD);
      await dovecot.append(user, 'INBOX', `Subject: burst ${i}\r\n\r\nx\r\n`); // doveadm: fails for an unknown user
      expect(
        await withImap(imapClient(dovecot, { auth: { user, pass: PASSWORD } }), async (c) => {
          const st = await c.status('INBOX', { messages: true });
          return st ? st.messages : -1;
        }),
      ).toBe(1);
    }
  });

  it('creates folders with special use and deletes them', async () => {
    await dovecot.createFolder(USER, 'Projects/Tidings');
    await dovecot.createFolder(USER, 'Everything', '\\All');
    await dovecot.append(USER, 'Projects/Tidings', 'Subject: in a folder\r\n\r\nx\r\n');
    expect(await subjects(dovecot, 'Projects/Tidings')).toEqual(['in a folder']);
    await withImap(imapClient(dovecot), async (c) => {
      const list = await c.list();
      expect(list.find((m) => m.path === 'Everything')?.specialUse).toBe('\\All');
    });
    await dovecot.deleteFolder(USER, 'Projects/Tidings');
    await withImap(imapClient(dovecot), async (c) => {
      expect((await c.list()).map((m) => m.path)).not.toContain('Projects/Tidings');
    });
  });

  it('keeps saving mail while Dovecot reloads, and reloads only for special uses not in its defaults', async () => {
    // Each special-use folder reloads Dovecot, which replaces its auth process; the saves right
    // after must wait the gap out instead of failing a test's setup.
    const uses = ['\\Flagged', '\\Important', '\\Archive', '\\Junk'];
    for (const [i, use] of uses.entries()) {
      await dovecot.createFolder(USER, `Reload${i}`, use);
      await Promise.all([0, 1, 2].map((k) => dovecot.append(USER, `Reload${i}`, `Subject: r${i}-${k}\r\n\r\nx\r\n`)));
    }
    for (const i of uses.keys()) expect((await subjects(dovecot, `Reload${i}`)).sort()).toEqual([`r${i}-0`, `r${i}-1`, `r${i}-2`]);
    // Reloads that land while saves are under way (as a second folder's reload can).
    const pid = Number((await readFile(path.join(dovecot.dir, 'run', 'master.pid'), 'utf8')).trim());
    const saves = Array.from({ length: 20 }, (_, k) => k);
    const reloader = setInterval(() => process.kill(pid, 'SIGHUP'), 100);
    try {
      for (const k of saves) {
        await Promise.all([0, 1].map((j) => dovecot.append(USER, 'INBOX', `Subject: during reload ${k}-${j}\r\n\r\nx\r\n`)));
      }
    } finally {
      clearInterval(reloader);
    }
    const during = (await subjects(dovecot)).filter((s) => s.startsWith('during reload'));
    expect(during).toHaveLength(saves.length * 2);
    // A folder whose special use is already in the defaults does not reload at all.
    const reloads = async () => (await readFile(path.join(dovecot.dir, 'dovecot.log'), 'utf8')).split('SIGHUP received').length;
    const before = await reloads();
    expect(before).toBeGreaterThan(uses.length);
    await dovecot.createFolder(USER, 'Sent', '\\Sent');
    expect(await reloads()).toBe(before);
  });

  it('delivers mail submitted over STARTTLS + AUTH into the INBOX', async () => {
    const t = transport(smtp, { port: smtp.submissionPort, secure: false });
    try {
      await t.sendMail({ from: USER, to: [USER, 'bob@elsewhere.test'], subject: 'via submission', text: 'hi' });
    } finally {
      t.close();
    }
    const message = smtp.received.at(-1);
    expect(message).toMatchObject({ from: USER, to: [USER, 'bob@elsewhere.test'], user: USER });
    expect(message?.raw.toString()).toContain('Subject: via submission');
    await waitFor('delivery', async () => ((await subjects(dovecot)).includes('via submission') ? true : undefined));
  });

  it('delivers mail submitted over implicit TLS (SMTPS)', async () => {
    const t = transport(smtp, { port: smtp.smtpsPort, secure: true });
    try {
      await t.sendMail({ from: USER, to: USER, subject: 'via smtps', text: 'hi' });
    } finally {
      t.close();
    }
    expect(await subjects(dovecot)).toContain('via smtps');
  });

  it('rejects a wrong SMTP password with 535 and AUTH before STARTTLS', async () => {
    const wrong = transport(smtp, { port: smtp.submissionPort, secure: false, pass: 'wrong' });
    try {
      await expect(wrong.sendMail({ from: USER, to: USER, subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 535 });
    } finally {
      wrong.close();
    }
    const cleartext = transport(smtp, { port: smtp.submissionPort, secure: false, ignoreTLS: true });
    try {
      await expect(cleartext.sendMail({ from: USER, to: USER, subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 538 });
    } finally {
      cleartext.close();
    }
  });

  it('rotates the certificate: new fingerprint served, old pin no longer trusted', async () => {
    const oldPem = dovecot.certPem;
    const oldFp = dovecot.fingerprint256;
    const newFp = await dovecot.rotateCertificate();
    expect(newFp).toMatch(FINGERPRINT);
    expect(newFp).not.toBe(oldFp);
    expect(dovecot.fingerprint256).toBe(newFp);
    expect(await servedFingerprint(dovecot.imapsPort, dovecot.certPem)).toBe(newFp);
    await expect(servedFingerprint(dovecot.imapsPort, oldPem)).rejects.toThrow();
  });

  it('restarts on the same ports and keeps the mail', async () => {
    const before = await subjects(dovecot);
    const ports = [dovecot.imapsPort, dovecot.imapPort];
    await dovecot.restart();
    expect([dovecot.imapsPort, dovecot.imapPort]).toEqual(ports);
    expect(await subjects(dovecot)).toEqual(before);
    expect(before.length).toBeGreaterThanOrEqual(4);
  });
});

describe('dovecot (ca-signed, no IDLE, plaintext allowed)', () => {
  it('serves a CA-signed certificate valid for localhost and honours the options', async () => {
    const dovecot = await startDovecot({ tls: 'ca-signed', idle: false, allowPlaintextAuth: true });
    try {
      await dovecot.addUser(USER, PASSWORD);
      expect(dovecot.caPem).toContain('BEGIN CERTIFICATE');
      expect(await servedFingerprint(dovecot.imapsPort, dovecot.caPem as string, 'localhost')).toBe(dovecot.fingerprint256);
      const client = imapClient(dovecot, { tls: { ca: [dovecot.caPem as string], servername: 'localhost' } });
      await withImap(client, async (c) => {
        expect(c.capabilities.has('IDLE')).toBe(false);
        expect(c.capabilities.has('CONDSTORE')).toBe(true);
      });
      // Plaintext allowed: LOGIN on the plain port is answered by the password check, not refused.
      const reply = await plainLoginAttempt(dovecot.imapPort);
      expect(reply).not.toContain('LOGINDISABLED');
      expect(reply).toMatch(/a1 NO \[AUTHENTICATIONFAILED\]/);
    } finally {
      await dovecot.stop();
    }
    await expect(dovecot.stop()).resolves.toBeUndefined();
  });
});

describe('cleanup after a crash', () => {
  it('stops Dovecot and removes its folder when the owning process is SIGKILLed', async () => {
    const fixture = fileURLToPath(new URL('./crash-fixture.ts', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', fixture], { timeout: 20_000 }, (err, out) => {
        // The fixture kills itself, so an error with signal SIGKILL is the expected outcome.
        if (err && err.signal !== 'SIGKILL') reject(err);
        else resolve(out);
      });
    });
    const info = JSON.parse(stdout.trim()) as { dir: string; imapsPort: number };
    expect(info.dir).toMatch(/tdv-/);
    const closed = (port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.on('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.on('error', () => resolve(true));
      });
    await waitFor('dovecot to be stopped', async () => ((await closed(info.imapsPort)) ? true : undefined), 10_000);
    await waitFor('the instance folder to be removed', async () => (existsSync(info.dir) ? undefined : true), 10_000);
  });
});
