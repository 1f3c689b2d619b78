import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/types.ts';
import { explainCode } from '../mailboxes/probe/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { itMaps } from '../../test/support/cases.ts';
import { SyncSetupError } from './connector-factory.ts';
import { syncFailureOf } from './sync-failure.ts';

const mailbox = { protocol: 'imap', imap_host: 'imap.qq.com', imap_port: 993, imap_pinned_cert: null } as MailboxRow;
const pinned = { ...mailbox, imap_pinned_cert: 'AB:CD' } as MailboxRow;
const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('syncFailureOf', () => {
  itMaps('%s → %s', (err: unknown) => syncFailureOf(err, mailbox).code, [
    [new ConnectorError('auth_failed', 'x', { serverResponse: 'Authentication failed.' }), 'auth_failed'],
    [new ConnectorError('auth_failed', 'x', { serverResponse: 'Login fail. Please using weixin token to login' }), 'auth_failed'],
    [new ConnectorError('auth_failed', 'x', { serverResponse: 'IMAP service is not open' }), 'imap_disabled_by_provider'],
    [new ConnectorError('server_error', 'x', { serverResponse: '[OVERQUOTA] Quota exceeded' }), 'over_quota'],
    [new ConnectorError('server_error', 'x', { serverResponse: 'Internal error' }), 'server_error'],
    [new ConnectorError('connect_failed', 'x', {}, { cause: withCode('ENOTFOUND') }), 'dns_not_found'],
    [new ConnectorError('connect_failed', 'x', {}, { cause: withCode('ECONNREFUSED') }), 'connect_refused'],
    [new ConnectorError('tls_failed', 'x', {}, { cause: withCode('CERT_HAS_EXPIRED') }), 'tls_certificate_expired'],
    [new ConnectorError('tls_failed', 'x', {}, { cause: withCode('DEPTH_ZERO_SELF_SIGNED_CERT') }), 'certificate_changed'],
    [new ConnectorError('timeout', 'x'), 'connect_timeout'],
    [new ConnectorError('connection_lost', 'x'), 'connection_lost'],
    [new SyncSetupError('oauth_revoked', 'x'), 'oauth_revoked'],
    [new Error('something else'), 'sync_failed'],
  ]);

  it('calls a refused certificate of a pinned server a changed one, and quotes the server', () => {
    expect(syncFailureOf(new ConnectorError('tls_failed', 'x'), pinned).code).toBe('certificate_changed');
    const f = syncFailureOf(new ConnectorError('auth_failed', 'x', { serverResponse: 'Authentication failed.' }), mailbox, 'INBOX');
    expect(f.params).toEqual({ protocol: 'imap', host: 'imap.qq.com', port: 993, folder: 'INBOX', reply: 'Authentication failed.' });
  });
});

describe('explainCode', () => {
  it("gives the connection test's words and the provider's own fix for a code both know", () => {
    const e = explainCode('auth_failed', { host: 'imap.qq.com', reply: 'Login fail' }, 'qq');
    expect(e.message['zh-CN']).toBe('服务器拒绝了用户名或密码。服务器回复:“Login fail”');
    expect(e.fix['zh-CN']).toMatch(/授权码/);
    expect(e.fix.en).toMatch(/authorization code/);
  });

  it("explains the sync's own codes in both languages, and an unknown stored code as a generic failure", () => {
    expect(explainCode('over_quota', {}).fix['zh-CN']).toMatch(/立即同步/);
    expect(explainCode('no-such-code', {}).code).toBe('sync_failed');
  });
});
