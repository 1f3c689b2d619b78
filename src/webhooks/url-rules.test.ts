import { describe, expect, it } from 'vitest';
import { assertUrlAllowed } from './commands.ts';

const strict = { allowLocal: false, allowPrivate: false };
const code = (url: string, policy = strict) => {
  try {
    assertUrlAllowed(url, policy);
    return null;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('webhook URL rules at save time', () => {
  it('refuses loopback, metadata and private address literals unless the policy allows them', () => {
    const refused = [
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://metadata.google.internal/',
      'http://10.1.2.3/hook',
    ];
    for (const url of refused) expect(code(url), url).toBe('webhook_url_not_allowed');
    expect(code('http://10.1.2.3/hook', { allowLocal: false, allowPrivate: true })).toBeNull();
    expect(code('http://127.0.0.1/hook', { allowLocal: true, allowPrivate: true })).toBeNull();
  });

  it('takes public names (checked again at every connection) and refuses credentials and other schemes', () => {
    expect(code('https://hooks.example.com/tidings')).toBeNull();
    for (const url of ['https://user:pw@hooks.example.com/', 'ftp://hooks.example.com/'])
      expect(code(url), url).toBe('webhook_url_not_allowed');
  });
});
