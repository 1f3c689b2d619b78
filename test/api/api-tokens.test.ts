import { describe, expect, it } from 'vitest';
import { ADMIN, Client, withAdminApp, type TestApp } from '../support/app.ts';
import { expectProblem } from '../support/api.ts';

describe('API tokens: password again, expiry and read-only scope', () => {
  let t: TestApp;
  let admin: Client;

  withAdminApp((app, client) => {
    t = app;
    admin = client;
  });

  it('asks for the current password to create a token', async () => {
    expectProblem(await admin.post('/api/v1/tokens', { name: 'no password' }), 400, 'validation_failed');
    expectProblem(await admin.post('/api/v1/tokens', { name: 'wrong', password: 'not-the-password' }), 422, 'wrong_password');
    const created = await admin.post('/api/v1/tokens', { name: 'right', password: ADMIN.password });
    expect(created.statusCode).toBe(201);
    expect(created.data.token).toMatchObject({ name: 'right', scope: 'full', expiresAt: null });
  });

  it('lets a read-only token read, and refuses its writes with token_read_only', async () => {
    const created = await admin.post('/api/v1/tokens', { name: 'reader', password: ADMIN.password, scope: 'read' });
    expect(created.data.token.scope).toBe('read');
    const reader = new Client(t.app, created.data.secret);
    expect((await reader.get('/api/v1/me')).data.user.email).toBe(ADMIN.email);
    expect((await reader.request('HEAD', '/api/v1/me')).statusCode).toBe(200);
    expectProblem(await reader.patch('/api/v1/me', { locale: 'zh-CN' }), 403, 'token_read_only');
    expectProblem(await reader.post('/api/v1/tokens', { name: 'more', password: ADMIN.password }), 403, 'token_read_only');
    expectProblem(await reader.delete(`/api/v1/tokens/${created.data.token.id}`), 403, 'token_read_only');
    expect((await admin.get('/api/v1/me')).data.user.locale).not.toBe('zh-CN');
  });

  it('refuses a token after its expiry, and an expiry in the past', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    expectProblem(
      await admin.post('/api/v1/tokens', { name: 'late', password: ADMIN.password, expiresAt: past }),
      400,
      'validation_failed',
    );
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await admin.post('/api/v1/tokens', { name: 'short', password: ADMIN.password, expiresAt });
    expect(created.data.token.expiresAt).toBe(expiresAt);
    const bearer = new Client(t.app, created.data.secret);
    expect((await bearer.get('/api/v1/me')).statusCode).toBe(200);
    // An hour passes.
    await t.db.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.data.token.id)
      .execute();
    expectProblem(await bearer.get('/api/v1/me'), 401, 'invalid_token');
    const listed = (await admin.get('/api/v1/tokens')).data.items.find((i: any) => i.id === created.data.token.id);
    expect(Date.parse(listed.expiresAt)).toBeLessThan(Date.now());
  });

  it('asks for the current password to turn two-factor on', async () => {
    const { currentTotp } = await import('../../src/auth/two-factor.ts');
    const { secret } = (await admin.post('/api/v1/me/two-factor/setup')).data;
    const code = await currentTotp(secret);
    expectProblem(await admin.post('/api/v1/me/two-factor/enable', { code }), 400, 'validation_failed');
    expectProblem(await admin.post('/api/v1/me/two-factor/enable', { code, password: 'not-the-password' }), 422, 'wrong_password');
    expect((await admin.post('/api/v1/me/two-factor/enable', { code, password: ADMIN.password })).data.user.twoFactorEnabled).toBe(true);
  });

  it('throttles wrong passwords given to confirm a change', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await admin.post('/api/v1/tokens', { name: 'guess', password: `wrong-${i}` })).statusCode);
    expect(codes).toEqual([422, 422, 422, 422, 422, 429]);
    expectProblem(await admin.post('/api/v1/tokens', { name: 'guess', password: ADMIN.password }), 429, 'too_many_attempts');
  });
});
