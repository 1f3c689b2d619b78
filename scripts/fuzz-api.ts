import { parseArgs } from 'node:util';
import { fuzzApi } from '../test/support/api-fuzz.ts';
import { createTestApp } from '../test/support/app.ts';

/**
 * `npm run fuzz:api -- --runs 200 --seed 7 [--db postgres]`: the fuzzing `npm test` runs briefly
 * (test/api/fuzz.test.ts), for longer. Exits 1 when any answer broke a rule, listing one example of each.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    db: { type: 'string', default: 'pglite' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const kind = values.db === 'postgres' ? 'postgres' : 'pglite';
console.log(`fuzzing every operation ${runs} times, seed ${seed}, on ${kind}`);
const t = await createTestApp(kind);
const started = Date.now();
try {
  const report = await fuzzApi(t, { runs, seed, progress: (line) => console.log(line) });
  console.log(`\n${report.cases} cases over ${report.operations} operations in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`answers by status: ${JSON.stringify(report.statuses)}`);
  console.log(
    `skipped: ${Object.entries(report.skipped)
      .map(([op, why]) => `${op} (${why})`)
      .join('; ')}`,
  );
  console.log(`${report.failures.length} failing cases, ${report.distinct.length} distinct`);
  process.exitCode = report.failures.length ? 1 : 0;
} finally {
  await t.close();
}
