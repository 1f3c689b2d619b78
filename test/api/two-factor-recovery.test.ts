import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/auth/two-factor.ts';
import { Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { expectProblem } from '../support/api.ts';

describe('two-factor recovery codes', () => {
  let t: TestApp;
  let admin: Client;
  let userId: string;
  let codes: string[];
  const u = { email: 'lost-phone@example.com', name: 'Lost Phone', role: 'member', password: 'recovery-pass-1' };
  const login = (totp?: string) =>
    new Client(t.app).post('/api/v1/auth/login', { email: u.email, password: u.password, ...(totp && { totp }) });

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
    userId = (await admin.post('/api/v1/users', u)).data.user.id;
    const c = new Client(t.app);
    await c.post('/api/v1/auth/login', { email: u.email, password: u.password });
    const { secret } = (await c.post('/api/v1/me/two-factor/setup')).data;
    const enabled = await c.post('/api/v1/me/two-factor/enable', { code: await currentTotp(secret), password: u.password });
    expect(enabled.statusCode).toBe(200);
    codes = enabled.data.recoveryCodes;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives ten different codes once, stored only as hashes', async () => {
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = JSON.stringify(await t.db.db.selectFrom('recovery_codes').selectAll().execute());
    for (const code of codes) expect(stored).not.toContain(code);
  });

  it('signs in once with each code instead of an authenticator code', async () => {
    const first = await login(codes[0]);
    expect(first.statusCode).toBe(200);
    expectProblem(await login(codes[0]), 401, 'totp_invalid');
    // Typed by hand: upper case, without the dash.
    expect((await login(codes[1]!.toUpperCase().replace('-', ' '))).statusCode).toBe(200);
    expectProblem(await login('aaaaa-bbbbb'), 401, 'totp_invalid');
    const audit = await t.db.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'auth.login')
      .where('target_id', '=', userId)
      .execute();
    expect(audit.filter((a) => (a.detail as { recoveryCode?: boolean } | null)?.recoveryCode)).toHaveLength(2);
  });

  it('turns two-factor off with a recovery code, and the codes go with it', async () => {
    const c = new Client(t.app);
    expect((await c.post('/api/v1/auth/login', { email: u.email, password: u.password, totp: codes[2] })).statusCode).toBe(200);
    expectProblem(await c.post('/api/v1/me/two-factor/disable', { password: u.password, code: codes[2] }), 422, 'two_factor_code_rejected');
    const off = await c.post('/api/v1/me/two-factor/disable', { password: u.password, code: codes[3] });
    expect(off.data.user.twoFactorEnabled).toBe(false);
    expect(await t.db.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', userId).execute()).toHaveLength(0);
  });
});
