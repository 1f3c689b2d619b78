import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMailbox } from '../support/rows.ts';

const SIGNIN_ID = '5d0c7f6e-3c1f-4f4e-9b57-1f2f0b9f8a11';
const IMAP = { host: 'mail.example.com', port: 993, security: 'tls' };
const SMTP = { host: 'mail.example.com', port: 587, security: 'starttls' };

/** Requests no Graph or EWS server could make sense of: refused before anything connects, each with its own code. */
describe('binding Exchange and Microsoft 365 mailboxes: impossible combinations', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  const refused: Array<[string, Record<string, unknown>, number, string]> = [
    ['Graph without a sign-in', { protocol: 'graph', email: 'a@contoso.com', password: 'x' }, 400, 'graph_signin_required'],
    ['Graph with a password kind', { protocol: 'graph', email: 'a@contoso.com', signinId: SIGNIN_ID }, 400, 'graph_signin_required'],
    [
      'Graph with IMAP servers',
      { protocol: 'graph', email: 'a@contoso.com', authKind: 'oauth2', signinId: SIGNIN_ID, imap: IMAP },
      400,
      'protocol_field_not_used',
    ],
    [
      'Graph with a test message (sending comes later)',
      { protocol: 'graph', email: 'a@contoso.com', authKind: 'oauth2', signinId: SIGNIN_ID, sendTestMessage: true },
      400,
      'protocol_field_not_used',
    ],
    [
      'EWS with OAuth',
      { protocol: 'ews', email: 'a@contoso.com', authKind: 'oauth2', signinId: SIGNIN_ID, ews: { url: null } },
      400,
      'ews_oauth_not_supported',
    ],
    [
      'EWS with an SMTP server',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: null }, smtp: SMTP },
      400,
      'protocol_field_not_used',
    ],
    [
      'EWS with IMAP servers',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: null }, imap: IMAP },
      400,
      'protocol_field_not_used',
    ],
    ['IMAP without its server', { email: 'a@contoso.com', password: 'x' }, 400, 'imap_server_required'],
    ['IMAP with EWS settings', { email: 'a@contoso.com', password: 'x', imap: IMAP, ews: { url: null } }, 400, 'protocol_field_not_used'],
    ['EWS without a password', { protocol: 'ews', email: 'a@contoso.com', ews: { url: null } }, 400, 'validation_failed'],
    [
      'an EWS address that is not http(s)',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: 'ftp://mail.contoso.com/EWS/Exchange.asmx' } },
      400,
      'validation_failed',
    ],
    [
      'an EWS address with a password in it',
      { protocol: 'ews', email: 'a@contoso.com', password: 'x', ews: { url: 'https://u:p@mail.contoso.com/EWS/Exchange.asmx' } },
      400,
      'validation_failed',
    ],
    ['an unknown protocol', { protocol: 'pop3', email: 'a@contoso.com', password: 'x', imap: IMAP }, 400, 'validation_failed'],
  ];

  it.each(refused)('refuses %s, on the test and on the bind', async (_what, body, status, code) => {
    const test = await admin.post('/api/v1/mailboxes/test', body);
    expectProblem(test, status, code);
    expect(test.data.detail).toBeTruthy();
    const bind = await admin.post('/api/v1/mailboxes', body);
    expectProblem(bind, status, code);
  });

  it('names the field a protocol has no use for', async () => {
    const res = await admin.post('/api/v1/mailboxes/test', { protocol: 'ews', email: 'a@contoso.com', password: 'x', smtp: SMTP });
    expectProblem(res, 400, 'protocol_field_not_used');
    expect(res.data).toMatchObject({ protocol: 'ews', field: 'smtp' });
  });

  it('refuses settings of another protocol when changing a bound Graph or EWS mailbox', async () => {
    const ownerId = (await admin.get('/api/v1/me')).data.user.id as string;
    const ews = await insertMailbox(t.db.db, ownerId, 'ews@contoso.com');
    const graph = await insertMailbox(t.db.db, ownerId, 'graph@contoso.com');
    await t.db.db
      .updateTable('mailboxes')
      .set({ protocol: 'ews', api_url: 'https://mail.contoso.com/EWS/Exchange.asmx' })
      .where('id', '=', ews)
      .execute();
    await t.db.db
      .updateTable('mailboxes')
      .set({ protocol: 'graph', api_url: 'https://graph.microsoft.com/v1.0', auth_kind: 'oauth2' })
      .where('id', '=', graph)
      .execute();

    expectProblem(await admin.patch(`/api/v1/mailboxes/${ews}`, { imap: IMAP }), 400, 'protocol_field_not_used');
    expectProblem(await admin.patch(`/api/v1/mailboxes/${ews}`, { signinId: SIGNIN_ID }), 400, 'ews_oauth_not_supported');
    expectProblem(await admin.patch(`/api/v1/mailboxes/${graph}`, { ews: { url: null } }), 400, 'protocol_field_not_used');
    expectProblem(await admin.patch(`/api/v1/mailboxes/${graph}`, { password: 'x' }), 400, 'protocol_field_not_used');
    // A new EWS address is a new destination: the stored password is not sent there unasked.
    expectProblem(
      await admin.patch(`/api/v1/mailboxes/${ews}`, { ews: { url: 'https://elsewhere.example/EWS/Exchange.asmx' } }),
      422,
      'secret_required_for_new_destination',
    );

    const shown = await admin.get(`/api/v1/mailboxes/${ews}`);
    expect(shown.data.mailbox).toMatchObject({ protocol: 'ews', apiUrl: 'https://mail.contoso.com/EWS/Exchange.asmx' });
    const listed = await admin.get('/api/v1/mailboxes');
    expect(listed.data.items.find((m: { id: string }) => m.id === graph)).toMatchObject({ protocol: 'graph' });
  });

  it('offers Graph for Microsoft 365 and EWS for Exchange Server in the catalogue, IMAP as the alternative', async () => {
    const res = await admin.get('/api/v1/providers');
    const byId = (id: string) => res.data.items.find((p: { id: string }) => p.id === id);
    expect(byId('microsoft365').protocols).toEqual(['graph', 'imap']);
    expect(byId('exchange').protocols).toEqual(['ews', 'imap']);
    expect(byId('gmail').protocols).toEqual(['imap']);
  });
});
