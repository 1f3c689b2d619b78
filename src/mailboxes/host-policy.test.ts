import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { checkedLookup, classifyAddress, hostPolicyFor, refusedAddress } from './host-policy.ts';

describe('host policy', () => {
  itMaps('%s is %s', classifyAddress, [
    ['127.0.0.1', 'local'],
    ['127.9.9.9', 'local'],
    ['::1', 'local'],
    ['::', 'local'],
    ['0.0.0.0', 'local'],
    ['169.254.169.254', 'local'],
    ['fe80::1', 'local'],
    ['fd00:ec2::254', 'local'],
    ['100.100.100.200', 'local'],
    ['::ffff:127.0.0.1', 'local'],
    ['::ffff:a9fe:a9fe', 'local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['93.184.215.14', 'public'],
    ['2606:4700::1111', 'public'],
    ['not-an-address', 'local'],
  ]);

  it('admins reach private ranges, members only when the operator allows it; local needs the operator', () => {
    const closed = { allowLocalMailHosts: false, allowPrivateMailHostsForMembers: false };
    expect(hostPolicyFor({ role: 'admin' }, closed)).toEqual({ allowLocal: false, allowPrivate: true });
    expect(hostPolicyFor({ role: 'member' }, closed)).toEqual({ allowLocal: false, allowPrivate: false });
    expect(hostPolicyFor({ role: 'member' }, { ...closed, allowPrivateMailHostsForMembers: true }).allowPrivate).toBe(true);
    expect(refusedAddress('10.0.0.1', { allowLocal: true, allowPrivate: false })).toBe('private');
    expect(refusedAddress('127.0.0.1', { allowLocal: false, allowPrivate: true })).toBe('local');
    expect(refusedAddress('127.0.0.1', { allowLocal: true, allowPrivate: false })).toBeNull();
  });

  it('refuses a name when any address it resolves to is refused, and hands on only checked addresses', async () => {
    const answers: Record<string, string[]> = {
      'mail.example.com': ['93.184.215.14'],
      'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
    };
    const base: LookupFunction = (hostname, _options, callback) =>
      callback(
        null,
        (answers[hostname] ?? []).map((address) => ({ address, family: 4 })),
      );
    const lookup = checkedLookup({ allowLocal: false, allowPrivate: false }, base);
    const ask = (host: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) => lookup(host, { all }, (err, address) => (err ? reject(err) : resolve(address))));
    expect(await ask('mail.example.com', false)).toBe('93.184.215.14');
    expect(await ask('mail.example.com', true)).toEqual([{ address: '93.184.215.14', family: 4 }]);
    await expect(ask('mixed.example.com', true)).rejects.toMatchObject({ code: 'EHOSTNOTALLOWED', why: 'local' });
    await expect(ask('metadata.google.internal', false)).rejects.toMatchObject({ code: 'EHOSTNOTALLOWED' });
    await expect(ask('169.254.169.254', false)).rejects.toMatchObject({ code: 'EHOSTNOTALLOWED' });
  });
});
