import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSigningSecret, signatureHeader, verifySignature } from './signature.ts';

describe('webhook signatures', () => {
  const secret = newSigningSecret();
  const body = '{"id":"1","type":"contact.created","createdAt":"2026-12-10T00:00:00.000Z","data":{}}';
  const t = 1_796_860_800;

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and names the timestamp', () => {
    const hex = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${hex}`);
  });

  it('verifies its own signature, and refuses another body, another secret and one older than 5 minutes', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature(secret, header, body, t + 10)).toBe(true);
    expect(verifySignature(secret, header, `${body} `, t + 10)).toBe(false);
    expect(verifySignature(newSigningSecret(), header, body, t + 10)).toBe(false);
    expect(verifySignature(secret, header, body, t + 301)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body, t)).toBe(false);
  });

  it('makes a different secret each time', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(secret);
  });
});
