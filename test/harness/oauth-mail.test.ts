// Tokens from the local provider against real servers: Dovecot's oauth2 passdb checks IMAP tokens, the
// SMTP harness checks AUTH XOAUTH2, both by asking the provider's userinfo endpoint.
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthTestClient, startDovecot, startOAuthProvider, startSmtp } from './index.ts';
import type { DovecotInstance, OAuthProviderInstance, OAuthTestClient, SmtpInstance } from './index.ts';
import { imapClientOf, inboxCountWithToken } from '../support/imap.ts';

/** Raw IMAP: the greeting's capabilities and the answer to AUTHENTICATE XOAUTH2 with SASL-IR. */
function rawXoauth2(server: DovecotInstance, user: string, accessToken: string): Promise<{ capabilities: string; answer: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: server.host, port: server.imapsPort, ca: [server.certPem] });
    let buffer = '';
    let capabilities = '';
    socket.setEncoding('utf8');
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw IMAP timed out')));
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (!capabilities && buffer.includes('\r\n')) {
        capabilities = buffer.split('\r\n')[0];
        const blob = Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`).toString('base64');
        socket.write(`a1 AUTHENTICATE XOAUTH2 ${blob}\r\n`);
        return;
      }
      const tagged = buffer.split('\r\n').find((line) => line.startsWith('a1 '));
      if (tagged) {
        socket.end('a2 LOGOUT\r\n');
        resolve({ capabilities, answer: tagged });
      } else if (/^\+ /m.test(buffer)) {
        // An error challenge: answer with an empty line, as RFC 7628 wants.
        socket.write('\r\n');
        buffer = buffer.replace(/^\+ .*\r\n/m, '');
      }
    });
  });
}

async function sendWithToken(smtp: SmtpInstance, user: string, accessToken: string, to: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.smtpsPort,
    secure: true,
    tls: { ca: [smtp.certPem] },
    auth: { type: 'OAuth2', user, accessToken },
  });
  try {
    await transport.sendMail({ from: user, to, subject, text: 'hello' });
  } finally {
    transport.close();
  }
}

describe('XOAUTH2 against Dovecot and the SMTP harness (local Google)', () => {
  let google: OAuthProviderInstance;
  let dovecot: DovecotInstance;
  let smtp: SmtpInstance;
  let client: OAuthTestClient;

  beforeAll(async () => {
    google = await startOAuthProvider({ kind: 'google' });
    dovecot = await startDovecot({ oauth2: { userinfoUrl: google.userinfoUrl } });
    smtp = await startSmtp({ dovecot, oauth2: { userinfoUrl: google.userinfoUrl } });
    client = await oauthTestClient(google);
    for (const email of ['ann@corp.example', 'bob@corp.example', 'cid@corp.example']) {
      google.addAccount(email);
      await dovecot.addOAuthUser(email);
    }
    await dovecot.addUser('pat@corp.example', 'pat-pw');
  });
  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
    await google?.stop();
  });

  it('IMAP: a token from the provider signs in (OAUTHBEARER via imapflow, XOAUTH2 raw with SASL-IR); password users still log in', async () => {
    const tokens = await client.signIn('ann@corp.example');
    await dovecot.append('ann@corp.example', 'INBOX', 'Subject: one\r\n\r\nbody\r\n');
    expect(await inboxCountWithToken(dovecot, 'ann@corp.example', tokens.accessToken)).toBe(1);
    const raw = await rawXoauth2(dovecot, 'ann@corp.example', tokens.accessToken);
    expect(raw.capabilities).toMatch(/AUTH=XOAUTH2/);
    expect(raw.capabilities).toMatch(/SASL-IR/);
    expect(raw.answer).toMatch(/^a1 OK/);
    const log = await dovecot.readLog();
    expect(log).toMatch(/Login: user=<ann@corp\.example>, method=XOAUTH2/);
    expect(log).toMatch(/Login: user=<ann@corp\.example>, method=OAUTHBEARER/);

    // The password passdb is untouched; a token user has no password to guess.
    const pat = imapClientOf(dovecot, { user: 'pat@corp.example', pass: 'pat-pw' });
    await pat.connect();
    await pat.logout();
    const emptyPassword = imapClientOf(dovecot, { user: 'ann@corp.example', pass: '' });
    await expect(emptyPassword.connect()).rejects.toThrow();
    emptyPassword.close();
  });

  it('IMAP: a token for another user, a revoked grant and an expired token are refused', async () => {
    const bob = await client.signIn('bob@corp.example');
    await expect(inboxCountWithToken(dovecot, 'ann@corp.example', bob.accessToken)).rejects.toMatchObject({ authenticationFailed: true });
    expect(await inboxCountWithToken(dovecot, 'bob@corp.example', bob.accessToken)).toBe(0);

    await google.revoke('bob@corp.example');
    await expect(inboxCountWithToken(dovecot, 'bob@corp.example', bob.accessToken)).rejects.toMatchObject({ authenticationFailed: true });
    // What a client sees: Dovecot turns the userinfo 401 into a temporary failure (see README).
    const raw = await rawXoauth2(dovecot, 'bob@corp.example', bob.accessToken);
    expect(raw.answer).toMatch(/^a1 NO \[UNAVAILABLE\] Temporary authentication failure/);

    google.setAccessTokenTtl(1);
    try {
      const cid = await client.signIn('cid@corp.example');
      expect(await inboxCountWithToken(dovecot, 'cid@corp.example', cid.accessToken)).toBe(0);
      await new Promise((r) => setTimeout(r, 1_600));
      await expect(inboxCountWithToken(dovecot, 'cid@corp.example', cid.accessToken)).rejects.toMatchObject({ authenticationFailed: true });
      google.setAccessTokenTtl(3600);
      const fresh = await client.refresh(cid.refreshToken!);
      expect(await inboxCountWithToken(dovecot, 'cid@corp.example', fresh.accessToken)).toBe(0);
    } finally {
      google.setAccessTokenTtl(3600);
    }
  });

  it('SMTP: AUTH XOAUTH2 with a live token sends and delivers; a revoked one gets Gmail’s challenge then 535', async () => {
    google.addAccount('dee@corp.example');
    await dovecot.addOAuthUser('dee@corp.example');
    const dee = await client.signIn('dee@corp.example');
    await sendWithToken(smtp, 'dee@corp.example', dee.accessToken, 'dee@corp.example', 'sent with a token');
    expect(smtp.received.at(-1)).toMatchObject({ user: 'dee@corp.example', to: ['dee@corp.example'] });
    expect(await inboxCountWithToken(dovecot, 'dee@corp.example', dee.accessToken)).toBe(1);

    await expect(sendWithToken(smtp, 'ann@corp.example', dee.accessToken, 'dee@corp.example', 'wrong user')).rejects.toMatchObject({
      responseCode: 535,
    });
    await google.revoke('dee@corp.example');
    await expect(sendWithToken(smtp, 'dee@corp.example', dee.accessToken, 'dee@corp.example', 'revoked')).rejects.toMatchObject({
      responseCode: 535,
    });
    expect(smtp.received.filter((m) => m.user === 'dee@corp.example')).toHaveLength(1);
  });
});

describe('XOAUTH2 shaped like Microsoft 365', () => {
  let microsoft: OAuthProviderInstance;
  let dovecot: DovecotInstance;
  let smtp: SmtpInstance;

  beforeAll(async () => {
    microsoft = await startOAuthProvider({ kind: 'microsoft', accessTokenTtlSeconds: 2 });
    dovecot = await startDovecot({ oauth2: { userinfoUrl: microsoft.userinfoUrl, mechanisms: ['xoauth2'] } });
    smtp = await startSmtp({ dovecot, oauth2: { userinfoUrl: microsoft.userinfoUrl, kind: 'microsoft' } });
    microsoft.addAccount('erin@contoso.example');
    await dovecot.addOAuthUser('erin@contoso.example');
  });
  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
    await microsoft?.stop();
  });

  it('IMAP offers XOAUTH2 only and imapflow uses it; SMTP answers 535 5.7.3 for a dead token and 5.7.139 when SMTP AUTH is off', async () => {
    const client = await oauthTestClient(microsoft);
    const tokens = await client.signIn('erin@contoso.example');
    expect(tokens.expiresIn).toBe(2);
    expect(await inboxCountWithToken(dovecot, 'erin@contoso.example', tokens.accessToken)).toBe(0);
    const log = await dovecot.readLog();
    expect(log).toMatch(/Login: user=<erin@contoso\.example>, method=XOAUTH2/);
    expect(log).not.toMatch(/method=OAUTHBEARER/);

    await sendWithToken(smtp, 'erin@contoso.example', tokens.accessToken, 'someone@elsewhere.example', 'hi');
    smtp.setSmtpAuthDisabled('erin@contoso.example', true);
    await expect(sendWithToken(smtp, 'erin@contoso.example', tokens.accessToken, 'someone@elsewhere.example', 'hi')).rejects.toThrow(
      /535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled/,
    );
    smtp.setSmtpAuthDisabled('erin@contoso.example', false);

    await new Promise((r) => setTimeout(r, 2_500));
    await expect(sendWithToken(smtp, 'erin@contoso.example', tokens.accessToken, 'someone@elsewhere.example', 'hi')).rejects.toThrow(
      /535 5\.7\.3 Authentication unsuccessful/,
    );
    await expect(inboxCountWithToken(dovecot, 'erin@contoso.example', tokens.accessToken)).rejects.toMatchObject({
      authenticationFailed: true,
    });
  });
});
