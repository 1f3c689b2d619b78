import { describe, expect, it } from 'vitest';
import { createSelfSigned } from '../../../test/harness/certs.ts';
import { tlsOptionsFor } from '../tls-policy.ts';
import { withSharedContext } from './shared-tls-context.ts';

describe('withSharedContext', () => {
  it('gives connections that trust the same certificates one context, and others their own', async () => {
    const [a, b] = await Promise.all([
      createSelfSigned({ commonName: 'a.test', altNames: ['DNS:a.test'] }),
      createSelfSigned({ commonName: 'b.test', altNames: ['DNS:b.test'] }),
    ]);
    const first = withSharedContext(tlsOptionsFor('mail.example.com', { pinnedCertPem: a.certPem }));
    const second = withSharedContext(tlsOptionsFor('mail.example.com', { pinnedCertPem: a.certPem }));
    const other = withSharedContext(tlsOptionsFor('mail.example.com', { pinnedCertPem: b.certPem }));
    const plain = withSharedContext(tlsOptionsFor('mail.example.com', { pinnedCertPem: null }));
    expect(first.secureContext).toBeDefined();
    expect(second.secureContext).toBe(first.secureContext);
    expect(other.secureContext).not.toBe(first.secureContext);
    expect(plain.secureContext).not.toBe(first.secureContext);
    // The per-connection checks stay with the connection.
    expect(first).not.toHaveProperty('ca');
    expect(first).toMatchObject({ servername: 'mail.example.com', rejectUnauthorized: true });
    expect(typeof first.checkServerIdentity).toBe('function');
  });
});
