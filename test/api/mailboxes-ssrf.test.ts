import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';

const BANNER = 'SSH-2.0-OpenSSH_9.2 internal-secret-banner';

/** A local service that is not a mail server: it says its banner and records whatever it is sent. */
async function startSshLike(): Promise<{ port: number; connections: number; received: string[]; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { port: 0, connections: 0, received: [] as string[] };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => state.received.push(chunk.toString('latin1')));
    socket.write(`${BANNER}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  return Object.assign(state, {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

const connection = (host: string, port: number, security = 'starttls') => ({
  email: 'probe@example.test',
  imap: { host, port, security },
  smtp: { host, port, security },
  password: 'not-sent-anywhere-1',
});

// One app on PGlite is enough here: nothing below touches SQL beyond signing in.
describe('the connection test is no way into the local network', () => {
  let ssh: Awaited<ReturnType<typeof startSshLike>>;
  let open: TestApp; // the test default: TIDINGS_ALLOW_LOCAL_MAIL_HOSTS=true
  let strict: TestApp; // the production default
  let admin: Client;
  let strictAdmin: Client;
  let member: Client;

  beforeAll(async () => {
    [ssh, open, strict] = await Promise.all([
      startSshLike(),
      createTestApp('pglite'),
      createTestApp('pglite', { allowLocalMailHosts: false }),
    ]);
    [admin, strictAdmin] = await Promise.all([setupAdmin(open.app), setupAdmin(strict.app)]);
    await admin.patch('/api/v1/settings/workspace', { membersCanBindMailboxes: true });
    ({ client: member } = await signInMember(open, admin, 'rep@example.test', 'Rep'));
  });
  afterAll(async () => {
    await ssh?.close();
    await open?.close();
    await strict?.close();
  });

  it('reports a service that is not a mail server as such, without echoing what it said', async () => {
    const res = await admin.post('/api/v1/mailboxes/test', connection('127.0.0.1', ssh.port));
    expect(res.statusCode).toBe(200);
    expect(res.data.ok).toBe(false);
    expect(res.data.imap.failure).toMatchObject({ code: 'not_a_mail_server', stage: 'greeting' });
    expect(res.data.smtp.failure).toMatchObject({ code: 'not_a_mail_server', stage: 'greeting' });
    expect(res.body).not.toContain('internal-secret-banner');
    expect(res.body).not.toContain('SSH-2.0');
    expect(res.body).not.toContain('OpenSSH');
    // Nothing was sent to it: the greeting is checked before any command.
    expect(ssh.received).toEqual([]);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['localhost', 'a name resolving to loopback'],
    ['[::1]', 'IPv6 loopback'],
    ['169.254.169.254', 'the metadata service'],
    ['metadata.google.internal', 'the metadata service by name'],
    ['0.0.0.0', 'the unspecified address'],
  ])('refuses %s (%s) unless the operator allows local mail hosts', async (host) => {
    const before = ssh.connections;
    const res = await strictAdmin.post('/api/v1/mailboxes/test', connection(host, ssh.port, 'tls'));
    expect(res.statusCode).toBe(200);
    expect(res.data.ok).toBe(false);
    expect(res.data.imap.failure.code).toBe('host_not_allowed');
    expect(res.data.smtp.failure.code).toBe('host_not_allowed');
    expect(ssh.connections).toBe(before);
  });

  it('refuses binding and moving a mailbox to a refused host as well', async () => {
    const bind = await strictAdmin.post('/api/v1/mailboxes', connection('127.0.0.1', ssh.port, 'tls'));
    expectProblem(bind, 422, 'connection_test_failed');
    expect(bind.data.test.imap.failure.code).toBe('host_not_allowed');
  });

  it('private ranges are for admins; members are refused before any packet leaves', async () => {
    const res = await member.post('/api/v1/mailboxes/test', connection('10.255.255.1', 993, 'tls'));
    expect(res.statusCode).toBe(200);
    expect(res.data.imap.failure).toMatchObject({ code: 'host_not_allowed', stage: 'connect' });
    expect(res.data.imap.stages).toEqual([expect.objectContaining({ stage: 'connect', ok: false })]);
    expect(res.data.imap.failure.message.en).toContain('private network');
  });
});
