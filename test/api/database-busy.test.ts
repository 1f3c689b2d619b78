import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { installProblemHandlers } from '../../src/api/problem.ts';
import { POSTGRES_ADMIN_URL } from '../support/database.ts';

/**
 * A PostgreSQL pool with no connection free in time (many mailboxes importing while an admin binds more)
 * is a moment's overload: the client is told to retry, never handed a 500.
 */
describe('a request that finds no database connection free', () => {
  const pool = new pg.Pool({ connectionString: POSTGRES_ADMIN_URL, max: 1, connectionTimeoutMillis: 200 });
  afterAll(() => pool.end());

  it('is answered 503 database_busy with Retry-After', async () => {
    const app = Fastify({ logger: false });
    installProblemHandlers(app);
    app.get('/busy', async () => {
      const client = await pool.connect();
      client.release();
      return { ok: true };
    });
    const held = await pool.connect();
    try {
      const res = await app.inject({ method: 'GET', url: '/busy' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({ code: 'database_busy', status: 503, retryAfterSeconds: 5 });
    } finally {
      held.release();
    }
    // Once a connection is free again the same route answers.
    expect((await app.inject({ method: 'GET', url: '/busy' })).statusCode).toBe(200);
    await app.close();
  });
});
