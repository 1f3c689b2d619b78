import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzReport, fuzzApi, skippedOperations } from '../support/api-fuzz.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/** A fixed seed keeps `npm test` repeatable; `npm run fuzz:api -- --runs N --seed S` explores further. */
const SEED = 20_240_515;
const RUNS_PER_OPERATION = 24;

describe('every operation of the OpenAPI document, fuzzed', () => {
  let t: TestApp;
  let report: FuzzReport;

  beforeAll(async () => {
    t = await createTestApp('pglite');
    report = await fuzzApi(t, { runs: RUNS_PER_OPERATION, seed: SEED });
  }, 150_000);
  afterAll(async () => {
    await t?.close();
  });

  it('ran every operation but the skipped ones, with answers of every kind', () => {
    expect(report.operations).toBeGreaterThan(60);
    expect(report.cases).toBe(report.operations * RUNS_PER_OPERATION);
    for (const status of ['200', '201', '204', '400', '401', '403', '404', '422']) expect(report.statuses[status]).toBeGreaterThan(0);
    expect(Object.keys(skippedOperations).length).toBeLessThan(10);
  });

  it('never answers 5xx, an undocumented status without a problem, or a body off its schema, and a refusal writes nothing', () => {
    const lines = report.distinct.map(
      (f) => `${f.operation}: ${f.problem}\n  ${f.example.who} ${f.example.method} ${f.example.url}\n  -> ${f.example.answer}`,
    );
    expect(lines).toEqual([]);
  });
});
