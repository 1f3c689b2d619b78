import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './crypto.ts';

describe('vault sealing (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('opens what it sealed, with the same associated data only', () => {
    const sealed = seal(key, Buffer.from('s3cret-Pa55'), 'mailbox:1');
    expect(open(key, sealed, 'mailbox:1').toString()).toBe('s3cret-Pa55');
    expect(() => open(key, sealed, 'mailbox:2')).toThrow();
  });

  it('refuses a truncated authentication tag (a GCM tag prefix would otherwise verify)', () => {
    // An empty secret seals to iv | tag: cut the tag to 4 bytes, which GCM alone accepts as a shorter tag.
    const raw = Buffer.from(seal(key, Buffer.alloc(0), 'aad'), 'base64');
    for (const tagBytes of [4, 8, 12, 15]) {
      const truncated = raw.subarray(0, 12 + tagBytes).toString('base64');
      expect(() => open(key, truncated, 'aad'), `${tagBytes}-byte tag`).toThrow();
    }
  });
});
