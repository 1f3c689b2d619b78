import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('TIDINGS_TRUSTED_PROXIES', () => {
  it('is empty when unset, whatever the public address', () => {
    expect(loadConfig({ TIDINGS_BASE_URL: 'https://crm.example.test' }).trustedProxies).toEqual([]);
  });

  it('takes comma-separated addresses and CIDR ranges of both families', () => {
    const config = loadConfig({ TIDINGS_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1 ,::1,fd00::/8' });
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
  });

  it('refuses anything else at start', () => {
    for (const bad of ['proxy.example.test', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '10.0.0.0/x']) {
      expect(() => loadConfig({ TIDINGS_TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe('TIDINGS_ROLE', () => {
  it('is all by default, and TIDINGS_SYNC=off still means web', () => {
    expect(loadConfig({})).toMatchObject({ role: 'all', syncEnabled: true });
    expect(loadConfig({ TIDINGS_SYNC: 'off' })).toMatchObject({ role: 'web', syncEnabled: false });
  });

  it('takes web, sync and all', () => {
    expect(loadConfig({ TIDINGS_ROLE: 'web' })).toMatchObject({ role: 'web', syncEnabled: false });
    expect(loadConfig({ TIDINGS_ROLE: 'sync' })).toMatchObject({ role: 'sync', syncEnabled: true });
    expect(loadConfig({ TIDINGS_ROLE: 'all', TIDINGS_SYNC: 'on' })).toMatchObject({ role: 'all', syncEnabled: true });
  });

  it('refuses an unknown role, and TIDINGS_SYNC=off with a role that syncs', () => {
    expect(() => loadConfig({ TIDINGS_ROLE: 'worker' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIDINGS_ROLE: 'sync', TIDINGS_SYNC: 'off' })).toThrow(ConfigError);
  });
});
