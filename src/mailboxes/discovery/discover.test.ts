import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa } from '../../../test/harness/certs.ts';
import { createDefaultDeps } from './default-deps.ts';
import { discover } from './discover.ts';
import { type LocalDnsServer, startLocalDns } from '../../../test/support/local-dns-server.ts';
import type { DiscoveryDeps, DiscoveryResult } from './types.ts';

// Everything below is on 127.0.0.1: a DNS responder, one HTTPS server for every test host (the test fetch
// keeps the host name for SNI, certificate checks and Host, and only swaps the port), and greeting servers.
let dns: LocalDnsServer;
let web: https.Server;
let webPort: number;
let imapTls: tls.Server;
let smtpPlain: net.Server;
let agent: Agent;
let deps: DiscoveryDeps;
const seen: { host: string; method: string; url: string; body: string }[] = [];

const listen = (server: net.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A server written as host:port/security, e.g. 'imap.qq.com:993/tls' (autoconfig files say SSL or STARTTLS). */
function server(spec: string) {
  const [, host, port, security] = /^(.+):(\d+)\/(\w+)$/.exec(spec)!;
  return { host: host!, port: Number(port), security: security! };
}

const serverXml = (spec: string) => {
  const { host, port, security } = server(spec);
  return `<hostname>${host}</hostname><port>${port}</port><socketType>${security}</socketType>`;
};

/** An autoconfig file (Thunderbird's clientConfig) offering the two servers. */
const clientConfig = (imapSpec: string, smtpSpec: string, username: string) => {
  const [imap, smtp] = [serverXml(imapSpec), serverXml(smtpSpec)];
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="auto.test"><domain>auto.test</domain>
<incomingServer type="imap">${imap}<username>${username}</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp">${smtp}<username>${username}</username></outgoingServer>
</emailProvider></clientConfig>`;
};

const poxAnswer = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
<Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
<Account><AccountType>email</AccountType><Action>settings</Action>
<Protocol><Type>EXPR</Type><EwsUrl>https://mail.exch.test/EWS/Exchange.asmx</EwsUrl></Protocol>
</Account></Response></Autodiscover>`;

function handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ host, method: req.method ?? '', url: req.url ?? '', body });
    const path = (req.url ?? '').split('?')[0];
    if (host === 'autoconfig.slow.test') return; // never answers
    if (host === 'autoconfig.auto.test' && path === '/mail/config-v1.1.xml') {
      return res.end(clientConfig('imap.auto.test:993/SSL', 'smtp.auto.test:465/SSL', '%EMAILLOCALPART%'));
    }
    if (host === 'auto.test' && path === '/.well-known/autoconfig/mail/config-v1.1.xml') {
      return res.end(clientConfig('mail.auto.test:143/STARTTLS', 'mail.auto.test:587/STARTTLS', '%EMAILADDRESS%'));
    }
    if (host === 'autodiscover.exch.test' && req.method === 'POST' && path === '/autodiscover/autodiscover.xml') {
      res.setHeader('content-type', 'text/xml');
      return res.end(poxAnswer);
    }
    res.statusCode = 404;
    res.end('not here');
  });
}

beforeAll(async () => {
  dns = await startLocalDns(
    {
      'qq.com': {},
      'auto.test': { a: ['127.0.0.1'] },
      'autoconfig.auto.test': { a: ['127.0.0.1'] },
      'corp.test': {
        mx: [
          { exchange: 'mxbiz2.qq.com', priority: 10 },
          { exchange: 'mxbiz1.qq.com', priority: 5 },
        ],
      },
      'm365.test': { mx: [{ exchange: 'm365-test.mail.protection.outlook.com', priority: 0 }] },
      'srv.test': { mx: [{ exchange: 'aspmx.l.google.com', priority: 1 }] },
      '_imaps._tcp.srv.test': {
        srv: [
          { target: 'backup.srv.test', port: 993, priority: 20 },
          { target: 'imap.srv.test', port: 993, priority: 10 },
        ],
      },
      '_imap._tcp.srv.test': { srv: [{ target: '.', port: 0 }] },
      '_submissions._tcp.srv.test': { srv: [{ target: '.', port: 0 }] },
      '_submission._tcp.srv.test': { srv: [{ target: 'smtp.srv.test', port: 587 }] },
      'exch.test': { a: ['127.0.0.1'] },
      'autodiscover.exch.test': { a: ['127.0.0.1'] },
      'guess.test': {},
      'imap.guess.test': { a: ['127.0.0.1'] },
      'smtp.guess.test': { a: ['127.0.0.1'] },
      'autoconfig.slow.test': { a: ['127.0.0.1'] },
    },
    ['slow.test', '_imaps._tcp.slow.test'],
  );
  const ca = await createTestCa();
  const names = ['autoconfig.auto.test', 'auto.test', 'autodiscover.exch.test', 'exch.test', 'autoconfig.slow.test', 'imap.guess.test'];
  const cert = await ca.issue({ commonName: 'discovery.test', altNames: names.map((n) => `DNS:${n}`) });

  web = https.createServer({ key: cert.keyPem, cert: cert.certPem }, handle);
  web.on('clientError', (_e, socket) => socket.destroy());
  webPort = await listen(web);
  imapTls = tls.createServer({ key: cert.keyPem, cert: cert.certPem }, (s) => s.end('* OK [CAPABILITY IMAP4rev1] ready\r\n'));
  imapTls.on('tlsClientError', () => undefined);
  const imapPort = await listen(imapTls);
  smtpPlain = net.createServer((s) => s.end('220 smtp.guess.test ESMTP\r\n'));
  const smtpPort = await listen(smtpPlain);
  const closed = net.createServer();
  const closedPort = await listen(closed);
  await close(closed);

  agent = new Agent({ connect: { ca: ca.caPem, lookup: dns.lookup() } });
  const testFetch = (url: string, init: RequestInit) => {
    const u = new URL(url);
    u.port = String(webPort);
    return undiciFetch(u, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  };
  const base = createDefaultDeps({
    resolver: dns.resolver(),
    fetch: testFetch,
    ca: ca.caPem,
    lookup: dns.lookup(),
    hostPolicy: { allowLocal: true, allowPrivate: true }, // every test name resolves to 127.0.0.1
  });
  // Well-known ports are mapped to the local greeting servers; anything else to a closed port.
  const ports: Record<number, number> = { 993: imapPort, 587: smtpPort };
  deps = { ...base, probeTcp: (host, port, opts) => base.probeTcp(host, ports[port] ?? closedPort, opts) };
});

afterAll(async () => {
  web?.closeAllConnections();
  await agent?.destroy();
  await Promise.all([web, imapTls, smtpPlain].filter(Boolean).map(close));
  await dns?.close();
});

const tried = (r: DiscoveryResult, target: string, source?: string) =>
  r.tried.find((t) => t.target === target && (!source || t.source === source));

/** Suggested servers, e.g. servers('imap.qq.com:993/tls', 'smtp.qq.com:465/tls'). */
function servers(imap: string, smtp?: string) {
  return { imap: server(imap), ...(smtp && { smtp: server(smtp) }) };
}

/** Discovers `address`, which must name `providerId`, with a first suggestion like `first`. */
async function discoverProvider(address: string, providerId: string, first: object): Promise<DiscoveryResult> {
  const r = await discover(address, deps, { timeoutMs: 3000 });
  expect(r.provider?.id).toBe(providerId);
  expect(r.suggestions[0]).toMatchObject(first);
  return r;
}

describe('discover', () => {
  it('refuses an invalid address with invalid_email', async () => {
    await expect(discover('not an address', deps)).rejects.toMatchObject({ code: 'invalid_email' });
  });

  it('catalogue: a provider domain is known without asking anyone', async () => {
    const r = await discover('someone@FoxMail.com', deps, { timeoutMs: 3000 });
    expect(r.domain).toBe('foxmail.com');
    expect(r.provider?.id).toBe('qq');
    expect(r.suggestions[0]).toEqual({
      source: 'catalogue',
      providerId: 'qq',
      username: 'someone@foxmail.com',
      confidence: 0.95,
      ...servers('imap.qq.com:993/tls', 'smtp.qq.com:465/tls'),
    });
    expect(tried(r, 'foxmail.com')).toMatchObject({ source: 'catalogue', outcome: 'found' });
    // Nothing else answered for it, and that is recorded, not thrown.
    expect(r.suggestions).toHaveLength(1);
    expect(r.tried.filter((t) => t.source === 'srv').map((t) => [t.outcome, t.detail])).toEqual(Array(4).fill(['none', 'no SRV records']));
  });

  it('catalogue: country domains and Yahoo! JAPAN, with their own servers and user names', async () => {
    await discoverProvider('taro@yahoo.co.jp', 'yahoo_japan', {
      source: 'catalogue',
      providerId: 'yahoo_japan',
      username: 'taro', // the Yahoo! JAPAN ID, not the address
      ...servers('imap.mail.yahoo.co.jp:993/tls', 'smtp.mail.yahoo.co.jp:465/tls'),
    });
    await discoverProvider('anna@hotmail.de', 'outlook', { source: 'catalogue', providerId: 'outlook', username: 'anna@hotmail.de' });
  });

  it('autoconfig: reads both the autoconfig host and the well-known URL', async () => {
    const r = await discover('bob@auto.test', deps, { timeoutMs: 3000 });
    const auto = r.suggestions.filter((s) => s.source === 'autoconfig');
    expect(auto).toEqual([
      {
        source: 'autoconfig',
        username: 'bob',
        confidence: 0.9,
        ...servers('imap.auto.test:993/tls', 'smtp.auto.test:465/tls'),
      },
      {
        source: 'autoconfig',
        username: 'bob@auto.test',
        confidence: 0.9,
        ...servers('mail.auto.test:143/starttls', 'mail.auto.test:587/starttls'),
      },
    ]);
    expect(tried(r, 'https://autoconfig.auto.test/mail/config-v1.1.xml?emailaddress=bob%40auto.test')?.outcome).toBe('found');
    expect(tried(r, 'https://auto.test/.well-known/autoconfig/mail/config-v1.1.xml')?.outcome).toBe('found');
    expect(seen.some((s) => s.host === 'autoconfig.auto.test' && s.url.includes('emailaddress=bob%40auto.test'))).toBe(true);
  });

  it('mx: a company domain on Exmail or Microsoft 365 is recognised', async () => {
    const exmail = await discoverProvider('li.lei@corp.test', 'exmail', {
      source: 'mx',
      providerId: 'exmail',
      username: 'li.lei@corp.test',
      ...servers('imap.exmail.qq.com:993/tls'),
    });
    expect(tried(exmail, 'corp.test', 'mx')).toMatchObject({ source: 'mx', outcome: 'found', detail: 'mxbiz1.qq.com → exmail' });

    await discoverProvider('ann@m365.test', 'microsoft365', { source: 'mx', smtp: server('smtp.office365.com:587/starttls') });
  });

  it('srv: RFC 6186 records, "." meaning not offered, ranked after mx', async () => {
    const r = await discover('eve@srv.test', deps, { timeoutMs: 3000 });
    expect(r.suggestions.map((s) => s.source)).toEqual(['mx', 'srv']);
    expect(r.suggestions[1]).toEqual({
      source: 'srv',
      username: 'eve@srv.test',
      confidence: 0.7,
      ...servers('imap.srv.test:993/tls', 'smtp.srv.test:587/starttls'),
    });
    expect(tried(r, '_imap._tcp.srv.test')).toMatchObject({ outcome: 'none', detail: 'not offered (target ".")' });
    expect(tried(r, '_submissions._tcp.srv.test')?.outcome).toBe('none');
  });

  it('exchange_autodiscover: POX request answered with an EWS URL', async () => {
    const r = await discover('carol@exch.test', deps, { timeoutMs: 3000 });
    expect(r.suggestions).toContainEqual({
      source: 'exchange_autodiscover',
      providerId: 'exchange',
      ews: { url: 'https://mail.exch.test/EWS/Exchange.asmx' },
      imap: undefined,
      smtp: undefined,
      username: 'carol@exch.test',
      confidence: 0.6,
    });
    expect(tried(r, 'https://autodiscover.exch.test/autodiscover/autodiscover.xml')?.outcome).toBe('found');
    expect(tried(r, 'https://exch.test/autodiscover/autodiscover.xml')).toMatchObject({ outcome: 'none', detail: 'HTTP 404' });
    const post = seen.find((s) => s.host === 'autodiscover.exch.test');
    expect(post?.method).toBe('POST');
    expect(post?.body).toContain('<EMailAddress>carol@exch.test</EMailAddress>');
  });

  it('guess: keeps only hosts whose server greets, over verified TLS', async () => {
    const r = await discover('dan@guess.test', deps, { timeoutMs: 3000 });
    expect(r.suggestions).toEqual([
      {
        source: 'guess',
        username: 'dan@guess.test',
        confidence: 0.4,
        ...servers('imap.guess.test:993/tls', 'smtp.guess.test:587/starttls'),
      },
    ]);
    expect(tried(r, 'imap.guess.test:993')).toMatchObject({ outcome: 'found', detail: 'greeting seen' });
    expect(tried(r, 'mail.guess.test:993')?.outcome).toBe('none'); // no such name
    expect(tried(r, 'smtp.guess.test:465')?.outcome).toBe('error'); // connection refused
  });

  it('timeouts: a silent server is recorded as timeout and the result still comes back on time', async () => {
    const started = Date.now();
    const r = await discover('sam@slow.test', deps, { timeoutMs: 700 });
    expect(Date.now() - started).toBeLessThan(2500); // 700 ms budget; slack for a busy machine
    expect(tried(r, 'https://autoconfig.slow.test/mail/config-v1.1.xml?emailaddress=sam%40slow.test')?.outcome).toBe('timeout');
    expect(tried(r, 'slow.test', 'mx')).toMatchObject({ source: 'mx', outcome: 'timeout' });
    expect(tried(r, '_imaps._tcp.slow.test')?.outcome).toBe('timeout');
    expect(r.suggestions).toEqual([]);
  });
});
