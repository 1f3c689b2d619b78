import { describe, expect, it } from 'vitest';
import { ADMIN, Client, withAdminApp, type TestApp } from '../support/app.ts';
import { expectProblem, signInMember } from '../support/api.ts';

describe('your sessions', () => {
  let t: TestApp;
  let admin: Client;

  withAdminApp((app, client) => {
    t = app;
    admin = client;
  });

  it('lists where you are signed in, marks this one, and signs another out at once', async () => {
    const laptop = new Client(t.app);
    await laptop.request(
      'POST',
      '/api/v1/auth/login',
      { email: ADMIN.email, password: ADMIN.password },
      { 'user-agent': 'Laptop browser' },
    );
    const list = await admin.get('/api/v1/me/sessions');
    expect(list.statusCode).toBe(200);
    expect(list.data.items).toHaveLength(2);
    expect(list.data.items.filter((s: any) => s.current)).toHaveLength(1);
    const other = list.data.items.find((s: any) => s.userAgent === 'Laptop browser');
    expect(other).toMatchObject({ current: false, ip: '127.0.0.1' });
    // The list never shows the key cookies are looked up by.
    const rows = await t.db.db.selectFrom('sessions').select('id').execute();
    for (const row of rows) expect(JSON.stringify(list.data)).not.toContain(row.id);

    expect((await laptop.get('/api/v1/me')).statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/me/sessions/${other.id}`)).statusCode).toBe(204);
    expectProblem(await laptop.get('/api/v1/me'), 401, 'unauthenticated');
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
    expect((await admin.get('/api/v1/me/sessions')).data.items).toHaveLength(1);
    expectProblem(await admin.delete(`/api/v1/me/sessions/${other.id}`), 404, 'not_found');
  });

  it("cannot see or end another user's sessions", async () => {
    const { client: member } = await signInMember(t, admin, 'mo@example.com', 'Mo');
    const memberSessions = (await member.get('/api/v1/me/sessions')).data.items;
    expect(memberSessions).toHaveLength(1);
    expectProblem(await admin.delete(`/api/v1/me/sessions/${memberSessions[0].id}`), 404, 'not_found');
    expect((await member.get('/api/v1/me')).statusCode).toBe(200);
    expectProblem(await admin.delete('/api/v1/me/sessions/not-an-id'), 400, 'validation_failed');
  });
});
