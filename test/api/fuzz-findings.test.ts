import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectProblem } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';

/** What the API fuzzer (test/api/fuzz.test.ts) found, each as a test of its own. */
describe('answers the fuzzer found wrong', () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a path segment over the router limit is a 414 problem, not Fastify JSON', async () => {
    expectProblem(await admin.get(`/api/v1/users/${'x'.repeat(300)}`), 414, 'uri_too_long');
  });

  it('a malformed escape in the path is a 400 problem', async () => {
    expectProblem(await admin.get('/api/v1/contacts/%zz'), 400, 'bad_url');
    expectProblem(await admin.get('/api/v1/contacts/%ED%A0%80'), 400, 'bad_url');
  });
});
