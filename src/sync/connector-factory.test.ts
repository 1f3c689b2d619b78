// What the connector factory makes of a token source's failures, before any network: the token is
// fetched first at every connection, and its error decides between "needs attention" and "back off".
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/types.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { Vault } from '../vault/index.ts';
import type { AccessTokenSource } from './access-token-source.ts';
import { mailConnectorFactory, SyncSetupError } from './connector-factory.ts';

const mailbox = {
  id: 'mb-1',
  imap_host: '127.0.0.1',
  imap_port: 9,
  imap_security: 'tls',
  username: 'ann@corp.example',
  auth_kind: 'oauth2',
  secret_id: 'secret-1',
  imap_pinned_cert: null,
  allow_plaintext: false,
} as unknown as MailboxRow;

/** A vault that must not be asked: an OAuth mailbox's connector never reveals a password. */
/** Every host is allowed here: these tests are about tokens, mail-host-check.ts has its own. */
const checkHost = async () => undefined;

const vault = {
  reveal: () => Promise.reject(new Error('the vault was asked for a password')),
} as unknown as Vault;

function failingSource(code: string, calls: Array<{ minValiditySeconds?: number } | undefined>): AccessTokenSource {
  return {
    accessTokenFor: async (_mailbox, opts) => {
      calls.push(opts);
      throw Object.assign(new Error(`token failed: ${code}`), { code });
    },
  };
}

describe('mailConnectorFactory with an AccessTokenSource', () => {
  it('a revoked grant is a SyncSetupError (needs attention) whose message starts with oauth_revoked', async () => {
    const calls: Array<{ minValiditySeconds?: number } | undefined> = [];
    const connector = await mailConnectorFactory({ vault, checkHost, tokens: failingSource('oauth_revoked', calls) })(mailbox);
    const err = await connector.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SyncSetupError);
    expect(err).toMatchObject({ code: 'oauth_revoked' });
    expect((err as Error).message).toMatch(/^oauth_revoked: /);
    expect(calls).toEqual([undefined]);
  });

  it('any other token failure is a connection failure (the runner backs off), and the token is asked again next time', async () => {
    const calls: Array<{ minValiditySeconds?: number } | undefined> = [];
    const connector = await mailConnectorFactory({ vault, checkHost, tokens: failingSource('oauth_provider_unreachable', calls) })(mailbox);
    for (let i = 0; i < 2; i++) {
      const err = await connector.connect().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err).toMatchObject({ code: 'connect_failed' });
      expect((err as Error).message).toContain('oauth_provider_unreachable');
    }
    expect(calls).toHaveLength(2);
  });

  it('without a token source an OAuth mailbox needs attention; a password mailbox still uses the vault', async () => {
    await expect(mailConnectorFactory({ vault, checkHost })(mailbox)).rejects.toMatchObject({ code: 'no_token_source' });
    await expect(mailConnectorFactory({ vault, checkHost })({ ...mailbox, auth_kind: 'password' })).rejects.toThrow(
      'the vault was asked for a password',
    );
  });
});
