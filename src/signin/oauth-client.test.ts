import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedApp } from './apps.ts';
import { forgetServerMetadata, serverFor } from './oauth-client.ts';

describe('serverFor (the provider discovery document)', () => {
  let server: Server;
  let issuer: string;
  let requests = 0;
  let failNext = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url !== '/.well-known/openid-configuration' || failNext) {
        failNext = false;
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  afterEach(() => {
    forgetServerMetadata();
    requests = 0;
  });

  const app = (): ResolvedApp => ({ provider: 'google', clientId: 'c', clientSecret: null, tenant: null, issuer, source: 'settings' });

  it('fetches the document once for callers that ask at the same time, and once for later callers', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => serverFor(app())));
    expect(all.every((as) => as.token_endpoint === `${issuer}/token`)).toBe(true);
    await serverFor(app());
    expect(requests).toBe(1);
  });

  it('does not keep a failed discovery: the next call asks again', async () => {
    failNext = true;
    await expect(serverFor(app())).rejects.toMatchObject({ code: 'oauth_provider_unreachable' });
    expect((await serverFor(app())).token_endpoint).toBe(`${issuer}/token`);
    expect(requests).toBe(2);
  });
});
