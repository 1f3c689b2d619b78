import { describe, expect, it } from 'vitest';
import { schemaChecker } from '../support/api-fuzz.ts';
import { expectProblem } from '../support/api.ts';
import { type Client, withAdminApp } from '../support/app.ts';

/** What the API fuzzer (test/api/fuzz.test.ts) found, each as a test of its own. */
describe('answers the fuzzer found wrong', () => {
  let admin: Client;

  withAdminApp((_app, client) => {
    admin = client;
  });

  it('a path segment over the router limit is a 414 problem, not Fastify JSON', async () => {
    expectProblem(await admin.get(`/api/v1/users/${'x'.repeat(300)}`), 414, 'uri_too_long');
  });

  it('a malformed escape in the path is a 400 problem', async () => {
    expectProblem(await admin.get('/api/v1/contacts/%zz'), 400, 'bad_url');
    expectProblem(await admin.get('/api/v1/contacts/%ED%A0%80'), 400, 'bad_url');
  });

  it('a rejected CSV import answers the problem its OpenAPI document describes (row errors carry row, column and code)', async () => {
    const res = await admin.request('POST', '/api/v1/contacts/import?dryRun=false', 'name,email\nAnn,not-an-address\n', {
      'content-type': 'text/csv',
    });
    expectProblem(res, 422, 'import_rejected');
    expect(res.data.errors[0]).toMatchObject({ row: 2, column: 'email', path: 'row 2.email' });
    const doc = (await admin.get('/api/v1/openapi.json')).data;
    const schema = doc.paths['/api/v1/contacts/import'].post.responses['422'].content['application/json'].schema;
    expect(schemaChecker()(schema, res.data)).toBeNull();
  });

  it('a NUL character in an imported CSV file is a 422 csv_malformed, not a 500, for a dry run and a real one', async () => {
    for (const url of ['/api/v1/contacts/import', '/api/v1/companies/import?dryRun=false']) {
      const res = await admin.request('POST', url, 'name,email\na\u0000b,a@example.com\n', { 'content-type': 'text/csv' });
      expectProblem(res, 422, 'csv_malformed');
      expect(res.data.detail).toContain('line 2');
    }
  });
});
