import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, setupAdmin } from '../support/app.ts';
import { databaseKinds } from '../support/database.ts';

type App = Awaited<ReturnType<typeof createTestApp>>;

/**
 * Just under the 5 MB upload limit: 10,000 companies with 28 domains each, every domain checked as the
 * companies API checks it: seconds of work on whichever thread reads the file. Every row also names a
 * public mail domain (a row error), so a dry run reports instead of spending the time on the database.
 */
function heavyCompaniesCsv(): Buffer {
  const lines = ['name,domains'];
  for (let i = 0; i < 10_000; i++) {
    const domains = Array.from({ length: 28 }, (_, k) => `f${i}-${k}.example`);
    domains[0] = 'qq.com';
    lines.push(`"Firm ${i}","${domains.join(' ')}"`);
  }
  return Buffer.from(lines.join('\r\n'));
}

describe.each(databaseKinds)('a large CSV import on %s', (kind) => {
  let t: App;
  let admin: Client;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leaves the server answering other requests while the file is read', async () => {
    const file = heavyCompaniesCsv();
    expect(file.length).toBeLessThan(5 * 1024 * 1024);
    const started = performance.now();
    let importDone = false;
    const importing = admin.request('POST', '/api/v1/companies/import?dryRun=true', file, { 'content-type': 'text/csv' }).then((res) => {
      importDone = true;
      return { res, ms: performance.now() - started };
    });
    // Health checks one after another for as long as the import runs.
    const healthMs: number[] = [];
    while (!importDone) {
      const asked = performance.now();
      const res = await admin.get('/api/v1/health');
      expect(res.statusCode).toBe(200);
      if (!importDone) healthMs.push(performance.now() - asked);
    }
    const { res, ms: importMs } = await importing;
    expect(res.statusCode).toBe(200);
    expect(res.data.errors).toHaveLength(10_000);

    // Read on the thread that answers requests, the file held it for most of the import in one piece, and
    // a health check waited that long. Read elsewhere, health checks keep answering all along: many of
    // them, none waiting more than a small part of the import.
    expect(healthMs.length).toBeGreaterThan(10);
    expect(Math.max(...healthMs)).toBeLessThan(importMs / 4);
  });
});
