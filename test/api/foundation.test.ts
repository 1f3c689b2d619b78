import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; data: any }, status: number, code: string) {
  expect({ status: res.statusCode, code: res.data?.code }).toEqual({ status, code });
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(typeof res.data.detail).toBe('string');
  expect(JSON.stringify(res.data)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
}

describe.each(databaseKinds)('foundation API on %s', (kind) => {
  let t: TestApp;
  let admin: Client;
  const member = { email: 'mei@example.com', name: '李梅', role: 'member', password: 'member-password-1' };
  let memberId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports health with the database state and version', async () => {
    const res = await new Client(t.app).get('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ status: 'ok', database: 'ok' });
    expect(res.data.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('needs setup on first run, creates the first admin, then refuses a second setup', async () => {
    const anon = new Client(t.app);
    expect((await anon.get('/api/v1/setup')).data).toEqual({ needed: true });
    expectProblem(await anon.get('/api/v1/me'), 401, 'unauthenticated');
    admin = await setupAdmin(t.app);
    const me = await admin.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.data.user).toMatchObject({ email: ADMIN.email, role: 'admin', active: true });
    expect(me.data.user).not.toHaveProperty('password_hash');
    expect((await anon.get('/api/v1/setup')).data).toEqual({ needed: false });
    expectProblem(await anon.post('/api/v1/setup', { ...ADMIN, email: 'other@example.com' }), 409, 'setup_done');
  });

  it('sets a HttpOnly SameSite=Lax session cookie and requires the CSRF header on writes', async () => {
    const c = new Client(t.app);
    const res = await c.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect(res.statusCode).toBe(200);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    const session = setCookie.find((s) => s.startsWith('tidings_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/); // plain http in tests; Secure behind https (TIDINGS_BASE_URL)
    expectProblem(await c.request('POST', '/api/v1/tokens', { name: 'x' }, { 'x-csrf-token': 'wrong' }), 403, 'csrf_failed');
    expectProblem(await c.request('POST', '/api/v1/tokens', { name: 'x' }, { origin: 'https://evil.example' }), 403, 'csrf_failed');
    expect((await c.post('/api/v1/tokens', { name: 'ok', password: ADMIN.password })).statusCode).toBe(201);
  });

  it('lets an admin create, list, rename, deactivate, reactivate and reset users', async () => {
    const created = await admin.post('/api/v1/users', member);
    expect(created.statusCode).toBe(201);
    memberId = created.data.user.id;
    expect(created.data.user).toMatchObject({ email: member.email, name: '李梅', role: 'member' });
    expectProblem(await admin.post('/api/v1/users', { ...member, email: 'MEI@example.com' }), 409, 'email_taken');
    const list = await admin.get('/api/v1/users');
    expect(list.data.items.map((u: any) => u.email)).toEqual([ADMIN.email, member.email]);

    const m = new Client(t.app);
    expect((await m.post('/api/v1/auth/login', { email: member.email, password: member.password })).statusCode).toBe(200);
    expectProblem(await m.get('/api/v1/users'), 403, 'forbidden');
    expectProblem(await m.post('/api/v1/users', { ...member, email: 'x@example.com' }), 403, 'forbidden');

    // Deactivation ends the member's session at once and blocks sign-in.
    expect((await admin.patch(`/api/v1/users/${memberId}`, { active: false })).data.user.active).toBe(false);
    expectProblem(await m.get('/api/v1/me'), 401, 'unauthenticated');
    expectProblem(
      await new Client(t.app).post('/api/v1/auth/login', { email: member.email, password: member.password }),
      403,
      'account_deactivated',
    );
    await admin.patch(`/api/v1/users/${memberId}`, { active: true, name: 'Mei Li' });

    // A reset password works and the old one stops working.
    await admin.patch(`/api/v1/users/${memberId}`, { password: 'a-brand-new-password' });
    expectProblem(
      await new Client(t.app).post('/api/v1/auth/login', { email: member.email, password: member.password }),
      401,
      'invalid_credentials',
    );
    expect((await new Client(t.app).post('/api/v1/auth/login', { email: member.email, password: 'a-brand-new-password' })).statusCode).toBe(
      200,
    );
    expectProblem(
      await admin.patch(`/api/v1/users/${(await admin.get('/api/v1/me')).data.user.id}`, { active: false }),
      422,
      'cannot_demote_self',
    );
    expectProblem(await admin.get('/api/v1/users/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
  });

  it('creates personal API tokens that work as Bearer, shows them without the secret, and revokes them', async () => {
    const created = await admin.post('/api/v1/tokens', { name: 'script', password: ADMIN.password });
    expect(created.statusCode).toBe(201);
    const secret: string = created.data.secret;
    expect(secret).toMatch(/^tdg_/);
    const bearer = new Client(t.app, secret);
    const me = await bearer.get('/api/v1/me');
    expect(me.data.user.email).toBe(ADMIN.email);
    // Bearer writes need no CSRF token (no ambient credential involved).
    expect((await bearer.patch('/api/v1/me', { locale: 'zh-CN' })).data.user.locale).toBe('zh-CN');
    const list = await admin.get('/api/v1/tokens');
    const row = list.data.items.find((i: any) => i.id === created.data.token.id);
    expect(row.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.data)).not.toContain(secret);
    expect((await admin.delete(`/api/v1/tokens/${row.id}`)).statusCode).toBe(204);
    expectProblem(await bearer.get('/api/v1/me'), 401, 'invalid_token');
    expectProblem(await admin.delete(`/api/v1/tokens/${row.id}`), 404, 'not_found');
    expectProblem(await new Client(t.app, 'garbage').get('/api/v1/me'), 401, 'invalid_token');
  });

  it('logout revokes the session immediately', async () => {
    const c = new Client(t.app);
    await c.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const cookie = c.cookies.get('tidings_session')!;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const replay = new Client(t.app);
    replay.cookies.set('tidings_session', cookie);
    expectProblem(await replay.get('/api/v1/me'), 401, 'unauthenticated');
  });

  it('answers bad input with 4xx problem+json, never a 500', async () => {
    const c = admin;
    expectProblem(await c.request('POST', '/api/v1/users', '{"email": "x@example.com", ', {}), 400, 'malformed_json');
    expectProblem(await c.request('POST', '/api/v1/tokens', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })), 413, 'body_too_large');
    const wrongType = await c.post('/api/v1/users', { email: 'n@example.com', name: 42, role: 'member', password: 'long-enough-password' });
    expectProblem(wrongType, 400, 'validation_failed');
    expect(wrongType.data.errors[0].path).toContain('name');
    expectProblem(await c.post('/api/v1/users', { ...member, email: 'u@example.com', isAdmin: true }), 400, 'validation_failed');
    expectProblem(await c.post('/api/v1/users', { ...member, email: "x'; drop table users; --" }), 400, 'validation_failed');
    expectProblem(await c.post('/api/v1/users', { ...member, role: 'owner', email: 'r@example.com' }), 400, 'validation_failed');
    expectProblem(await c.get('/api/v1/users/not-a-uuid'), 400, 'validation_failed');
    expectProblem(await c.get('/api/v1/does-not-exist'), 404, 'not_found');
    expectProblem(await c.request('PUT', '/api/v1/me', {}), 404, 'not_found');
    expectProblem(
      await c.request('POST', '/api/v1/tokens', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    );
    // SQL-looking text is data, stored and returned verbatim.
    const sqlish = "Robert'); DROP TABLE users;--";
    const res = await c.post('/api/v1/users', { ...member, email: 'bobby@example.com', name: sqlish });
    expect(res.statusCode).toBe(201);
    expect(res.data.user.name).toBe(sqlish);
    expect((await c.get('/api/v1/users')).statusCode).toBe(200);
  });

  it('throttles repeated wrong passwords per account with a clear message', async () => {
    const c = new Client(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      codes.push((await c.post('/api/v1/auth/login', { email: 'bobby@example.com', password: `wrong-${i}` })).statusCode);
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429, 429, 429, 429]);
    const blocked = await c.post('/api/v1/auth/login', { email: 'bobby@example.com', password: member.password });
    expectProblem(blocked, 429, 'too_many_attempts');
    expect(blocked.data.detail).toMatch(/Try again in \d+ minute/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by this one.
    expect((await c.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password })).statusCode).toBe(200);
  });

  it('signs in with two factors once enabled, and an admin can reset them', async () => {
    const { currentTotp } = await import('../../src/auth/two-factor.ts');
    const { generate } = await import('otplib');
    const nextTotp = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const u = { email: 'tfa@example.com', name: 'Two Factor', role: 'member', password: 'two-factor-pass-1' };
    const created = await admin.post('/api/v1/users', u);
    const c = new Client(t.app);
    await c.post('/api/v1/auth/login', { email: u.email, password: u.password });
    const setup = await c.post('/api/v1/me/two-factor/setup');
    expect(setup.data.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Tidings:/);
    expectProblem(await c.post('/api/v1/me/two-factor/enable', { code: '000000', password: u.password }), 422, 'two_factor_code_rejected');
    // Turning it on asks for the password again.
    const code = await currentTotp(setup.data.secret);
    expectProblem(await c.post('/api/v1/me/two-factor/enable', { code, password: 'not-the-password' }), 422, 'wrong_password');
    const enabled = await c.post('/api/v1/me/two-factor/enable', { code, password: u.password });
    expect(enabled.data.user.twoFactorEnabled).toBe(true);
    // The key is stored encrypted, never as the base32 text.
    expect(JSON.stringify(await t.db.db.selectFrom('users').selectAll().execute())).not.toContain(setup.data.secret);

    const fresh = new Client(t.app);
    expectProblem(await fresh.post('/api/v1/auth/login', { email: u.email, password: u.password }), 401, 'totp_required');
    expectProblem(await fresh.post('/api/v1/auth/login', { email: u.email, password: u.password, totp: '123456' }), 401, 'totp_invalid');
    expect(
      // The code that turned it on is spent; the authenticator's next one (one step of drift is accepted) works.
      (await fresh.post('/api/v1/auth/login', { email: u.email, password: u.password, totp: await nextTotp(setup.data.secret) }))
        .statusCode,
    ).toBe(200);
    // A wrong password when turning it off is its own code: the session stays signed in (not a 401).
    expectProblem(await fresh.post('/api/v1/me/two-factor/disable', { password: 'not-the-password' }), 422, 'wrong_password');
    expect((await fresh.get('/api/v1/me')).data.user.twoFactorEnabled).toBe(true);

    await admin.patch(`/api/v1/users/${created.data.user.id}`, { resetTwoFactor: true });
    expect((await new Client(t.app).post('/api/v1/auth/login', { email: u.email, password: u.password })).statusCode).toBe(200);
  });

  it('shows admins the audit trail, newest first, with paging', async () => {
    const first = await admin.get('/api/v1/audit?limit=3');
    expect(first.statusCode).toBe(200);
    expect(first.data.items).toHaveLength(3);
    const ids = first.data.items.map((i: any) => Number(i.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const next = await admin.get(`/api/v1/audit?limit=3&cursor=${first.data.nextCursor}`);
    expect(Number(next.data.items[0].id)).toBeLessThan(ids.at(-1));
    const creates = await admin.get('/api/v1/audit?action=user.create&limit=100');
    expect(creates.data.items.every((i: any) => i.action === 'user.create')).toBe(true);
    expect(creates.data.items.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify((await admin.get('/api/v1/audit?limit=200')).data)).not.toMatch(/password-1|correct horse/);
    const m = new Client(t.app);
    await m.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expectProblem(await admin.get('/api/v1/audit?limit=0'), 400, 'validation_failed');
  });

  it('publishes an OpenAPI document built from the same schemas', async () => {
    const res = await new Client(t.app).get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.data.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/health', '/api/v1/setup', '/api/v1/auth/login', '/api/v1/me', '/api/v1/tokens', '/api/v1/users/{id}']) {
      expect(Object.keys(res.data.paths)).toContain(p);
    }
    expect(res.data.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.required).toContain('email');
  });

  it('never logs a password or token', async () => {
    const all = t.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [ADMIN.password, member.password, 'a-brand-new-password']) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/tdg_[A-Za-z0-9_-]{20}/);
  });
});
