import { describe, expect, it } from 'vitest';
import { expectProblem } from '../support/api.ts';
import { type Client, withAdminApp, type TestApp } from '../support/app.ts';

/** PostgreSQL text and jsonb cannot hold U+0000: one hook refuses it in every string of every request. */
describe('a NUL character in any input', () => {
  let t: TestApp;
  let admin: Client;

  withAdminApp((app, client) => {
    t = app;
    admin = client;
  });

  async function counts() {
    const [contacts, companies, tokens, stages] = await Promise.all(
      (['contacts', 'companies', 'api_tokens', 'pipeline_stages'] as const).map(async (table) =>
        Number(
          (
            await t.db.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );
    return { contacts, companies, tokens, stages };
  }

  it.each([
    ['/api/v1/contacts', { name: 'a\u0000b' }, 'body.name'],
    ['/api/v1/companies', { name: 'a\u0000b' }, 'body.name'],
    ['/api/v1/tokens', { name: 'a\u0000b' }, 'body.name'],
    ['/api/v1/pipeline/stages', { name: { en: 'a\u0000b' } }, 'body.name.en'],
  ])('is refused with 400 in the body of POST %s, and nothing is written', async (url, body, path) => {
    const before = await counts();
    const res = await admin.post(url, body);
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors).toEqual([{ path, message: expect.stringContaining('NUL') }]);
    expect(await counts()).toEqual(before);
  });

  it.each(['/api/v1/search?q=a%00b', '/api/v1/contacts?q=a%00b'])('is refused with 400 in the query of GET %s', async (url) => {
    const res = await admin.get(url);
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors).toEqual([{ path: 'querystring.q', message: expect.stringContaining('NUL') }]);
  });

  it('is refused in a path parameter and in an object key', async () => {
    expectProblem(await admin.get('/api/v1/contacts/a%00b'), 400, 'validation_failed');
    const res = await admin.post('/api/v1/contacts', { name: 'Ann', 'x\u0000y': 1 });
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.errors[0].path).toBe('body.x\\u0000y');
  });

  it('leaves other control characters and text alone', async () => {
    const res = await admin.post('/api/v1/contacts', { name: 'Zoë \u0001 李' });
    expect(res.statusCode).toBe(201);
  });
});
