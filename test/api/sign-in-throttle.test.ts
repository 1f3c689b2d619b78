import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/auth/two-factor.ts';
import { ADMIN, Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { expectProblem } from '../support/api.ts';
import { databaseKinds } from '../support/database.ts';

// The app sits behind a proxy on 127.0.0.1 here, so X-Forwarded-For names the client address.
const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** The code an authenticator shows `steps` 30-second steps from now (one step of drift is accepted). */
const totpAt = (secret: string, steps: number) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });

describe.each(databaseKinds)('sign-in throttling on %s', (kind) => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp(kind, { trustedProxies: ['127.0.0.1'] });
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function addMember(email: string, password = 'member-password-1'): Promise<string> {
    const res = await admin.post('/api/v1/users', { email, name: email, role: 'member', password });
    expect(res.statusCode).toBe(201);
    return res.data.user.id;
  }
  const login = (email: string, password: string, ip: string, totp?: string) =>
    new Client(t.app).request('POST', '/api/v1/auth/login', { email, password, ...(totp && { totp }) }, from(ip));

  it('counts parallel guesses before checking them: 60 at once give 5 answers of 401, the rest 429', async () => {
    await addMember('burst@example.com');
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => login('burst@example.com', `wrong-${i}`, '203.0.113.7')));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(55);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expectProblem(refused, 429, 'too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.data.detail).toMatch(/Try again in \d+ minute/);

    // The right password from the guessing address waits too...
    expectProblem(await login('burst@example.com', 'member-password-1', '203.0.113.7'), 429, 'too_many_attempts');
    // ...but the owner, from an address that has not been failing, is not locked out.
    expect((await login('burst@example.com', 'member-password-1', '198.51.100.20')).statusCode).toBe(200);
  });

  it('slows an account guessed from many addresses only for those addresses', async () => {
    await addMember('spread@example.com');
    for (const ip of ['192.0.2.1', '192.0.2.2']) {
      for (let i = 0; i < 5; i++) expect((await login('spread@example.com', `wrong-${i}`, ip)).statusCode).toBe(401);
    }
    // 10 failures: a clean address still gets its guess checked, and once it has failed it waits for the account.
    expect((await login('spread@example.com', 'wrong-again', '192.0.2.4')).statusCode).toBe(401);
    expectProblem(await login('spread@example.com', 'member-password-1', '192.0.2.4'), 429, 'too_many_attempts');
    expect((await login('spread@example.com', 'member-password-1', '192.0.2.5')).statusCode).toBe(200);
  });

  it('throttles one address guessing many accounts', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 32; i++) codes.push((await login(`nobody-${i}@example.com`, 'wrong', '203.0.113.99')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes.slice(30)).toEqual([429, 429]);
    expect((await login(ADMIN.email, ADMIN.password, '203.0.113.100')).statusCode).toBe(200);
  });

  it("clears an account's counters when an admin resets its password", async () => {
    const id = await addMember('reset@example.com');
    for (let i = 0; i < 5; i++) await login('reset@example.com', `wrong-${i}`, '203.0.113.50');
    expectProblem(await login('reset@example.com', 'member-password-1', '203.0.113.50'), 429, 'too_many_attempts');
    expect((await admin.patch(`/api/v1/users/${id}`, { password: 'a-brand-new-password' })).statusCode).toBe(200);
    expect((await login('reset@example.com', 'a-brand-new-password', '203.0.113.50')).statusCode).toBe(200);
  });

  describe('authenticator codes', () => {
    const password = 'two-factor-pass-1';
    let secret: string;
    let client: Client;
    let enableCode: string;
    let usedCode: string;

    beforeAll(async () => {
      await addMember('tfa@example.com', password);
      client = new Client(t.app);
      expect((await client.post('/api/v1/auth/login', { email: 'tfa@example.com', password })).statusCode).toBe(200);
      secret = (await client.post('/api/v1/me/two-factor/setup')).data.secret;
      enableCode = await currentTotp(secret);
      const enabled = await client.post('/api/v1/me/two-factor/enable', { code: enableCode, password });
      expect(enabled.statusCode).toBe(200);
    });

    it('refuses a code used once already, at sign-in', async () => {
      // The code that turned two-factor on is spent.
      expectProblem(await login('tfa@example.com', password, '198.51.100.1', enableCode), 401, 'totp_invalid');
      const next = await totpAt(secret, 1);
      usedCode = next;
      const both = await Promise.all([
        login('tfa@example.com', password, '198.51.100.1', next),
        login('tfa@example.com', password, '198.51.100.2', next),
      ]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
      const replay = await login('tfa@example.com', password, '198.51.100.3', next);
      expectProblem(replay, 401, 'totp_invalid');
      expect(replay.data.detail).toMatch(/used already/);
    });

    it('throttles wrong codes at sign-in like wrong passwords', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await login('tfa@example.com', password, '198.51.100.9', '000000')).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    });

    it('asks for a code not used before, and the password, to turn two-factor off, and throttles the password', async () => {
      const spent = usedCode;
      expectProblem(await client.post('/api/v1/me/two-factor/disable', { password }), 422, 'two_factor_code_required');
      expectProblem(await client.post('/api/v1/me/two-factor/disable', { password, code: spent }), 422, 'two_factor_code_rejected');
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await client.post('/api/v1/me/two-factor/disable', { password: `wrong-${i}` })).statusCode);
      // The spent code and four wrong passwords reach the limit of 5; then it waits.
      expect(codes).toEqual([422, 422, 422, 422, 429]);
      expectProblem(
        await client.post('/api/v1/me/two-factor/disable', { password, code: await totpAt(secret, -1) }),
        429,
        'too_many_attempts',
      );
    });
  });
});

describe('proxy headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    // https public address, no trusted proxy: X-Forwarded-For is anyone's to write and must be ignored.
    t = await createTestApp('pglite', { baseUrl: 'https://crm.example.test', secureCookies: true });
    await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are not believed from an address that is not a trusted proxy', async () => {
    const login = (password: string, ip: string) =>
      new Client(t.app).request('POST', '/api/v1/auth/login', { email: ADMIN.email, password }, from(ip));
    expect((await login(ADMIN.password, '10.9.9.9')).statusCode).toBe(200);
    const audit = await t.db.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'auth.login')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.ip).toBe('127.0.0.1');
    for (let i = 0; i < 5; i++) expect((await login(`wrong-${i}`, `10.9.0.${i}`)).statusCode).toBe(401);
    // Every guess came from 127.0.0.1, whatever the header said: a fresh header does not get around the wait.
    expectProblem(await login(ADMIN.password, '10.9.0.200'), 429, 'too_many_attempts');
  });
});
