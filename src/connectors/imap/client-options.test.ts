import { describe, expect, it } from 'vitest';
import { clientOptionsFor, isLoopback } from './client-options.ts';

const settings = {
  host: 'imap.example.com',
  port: 993,
  security: 'tls' as const,
  username: 'u',
  secret: 's',
  pinnedCertPem: null,
  allowPlaintext: false,
};

describe('client options', () => {
  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopback(h)).toBe(true);
    for (const h of ['10.0.0.1', '128.0.0.1', 'imap.example.com', '127.0.0.1.example.com', '::2']) expect(isLoopback(h)).toBe(false);
  });

  it('compresses to remote servers by default, not over loopback; an explicit choice wins', () => {
    expect(clientOptionsFor(settings, {}, 'command').disableCompression).toBe(false);
    expect(clientOptionsFor({ ...settings, host: '127.0.0.1' }, {}, 'command').disableCompression).toBe(true);
    expect(clientOptionsFor({ ...settings, host: '127.0.0.1' }, { compression: true }, 'command').disableCompression).toBe(false);
    expect(clientOptionsFor(settings, { compression: false }, 'command').disableCompression).toBe(true);
  });
});
