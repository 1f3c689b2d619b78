import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDefaultDeps } from './default-deps.ts';
import { discover } from './discover.ts';
import type { DiscoveryDeps } from './types.ts';

/** Names as the test's DNS answers them: one public autoconfig host, and names that lead inside. */
const ADDRESSES: Record<string, string> = {
  'autoconfig.corp.example': '93.184.215.14',
  'corp.example': '93.184.215.14',
  'autodiscover.corp.example': '93.184.215.14',
  'rebind.corp.example': '127.0.0.1',
  'lan.corp.example': '10.1.2.3',
};

const lookup: LookupFunction = (hostname, options, callback) => {
  const address = ADDRESSES[hostname];
  if (!address) return callback(Object.assign(new Error(`no ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
  if (options.all) return callback(null, [{ address, family: 4 }]);
  callback(null, address, 4);
};

/**
 * A stand-in for fetch that never touches the network: it records each URL it was asked for, answers the
 * autoconfig URL with a redirect to `to`, and follows redirects itself when asked to (as fetch does with
 * redirect: 'follow'), so a client that leaves redirects to fetch is caught requesting the target.
 */
function redirectingFetch(to: string, requested: string[]) {
  const answer = (url: string): Response => {
    requested.push(url);
    return new URL(url).hostname.startsWith('autoconfig.')
      ? new Response(null, { status: 302, headers: { location: to } })
      : new Response('nothing', { status: 404 });
  };
  return async (url: string, init: RequestInit): Promise<Response> => {
    let res = answer(url);
    for (let hops = 0; init.redirect !== 'manual' && res.status === 302 && hops < 5; hops++) res = answer(res.headers.get('location')!);
    return res;
  };
}

function depsFor(to: string, requested: string[], hostPolicy = { allowLocal: false, allowPrivate: false }): DiscoveryDeps {
  const base = createDefaultDeps({ fetch: redirectingFetch(to, requested), lookup, hostPolicy });
  return { ...base, resolveMx: async () => [], resolveSrv: async () => [], probeTcp: async () => false };
}

const AUTOCONFIG = 'https://autoconfig.corp.example/mail/config-v1.1.xml?emailaddress=ann%40corp.example';

describe('discovery redirects', () => {
  it.each([
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['the metadata service by name', 'https://metadata.google.internal/computeMetadata/v1/'],
    ['IPv6 metadata', 'https://[fd00:ec2::254]/latest/meta-data/'],
    ['loopback', 'https://127.0.0.1:8443/admin'],
    ['a name resolving to loopback', 'https://rebind.corp.example/config.xml'],
  ])('does not follow a redirect to %s', async (_, to) => {
    const requested: string[] = [];
    const result = await discover('ann@corp.example', depsFor(to, requested), { timeoutMs: 2000 });
    expect(requested).not.toContain(to);
    expect(requested.every((url) => new URL(url).hostname.endsWith('corp.example') && !url.includes('rebind'))).toBe(true);
    const tried = result.tried.find((t) => t.target === AUTOCONFIG);
    expect(tried).toMatchObject({ outcome: 'error' });
    expect(tried?.detail).toMatch(/host_not_allowed|not allowed|may not/i);
  });

  it('refuses private addresses unless the policy allows them (admins)', async () => {
    const refused: string[] = [];
    await discover('ann@corp.example', depsFor('https://lan.corp.example/config.xml', refused), { timeoutMs: 2000 });
    expect(refused).not.toContain('https://lan.corp.example/config.xml');
    const allowed: string[] = [];
    await discover('ann@corp.example', depsFor('https://lan.corp.example/config.xml', allowed, { allowLocal: false, allowPrivate: true }), {
      timeoutMs: 2000,
    });
    expect(allowed).toContain('https://lan.corp.example/config.xml');
  });

  it('the built-in HTTPS client connects only to checked addresses', async () => {
    const deps = createDefaultDeps({ hostPolicy: { allowLocal: false, allowPrivate: false } });
    await expect(deps.fetchText('https://localhost:1/', { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'host_not_allowed' });
    await expect(deps.fetchText('https://127.0.0.1:1/', { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'host_not_allowed' });
    await expect(deps.probeTcp('127.0.0.1', 1, { timeoutMs: 1000, tls: false })).rejects.toMatchObject({ code: 'EHOSTNOTALLOWED' });
  });
});
