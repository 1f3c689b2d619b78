/**
 * TEST HOOK, for the browser tests that watch an import's progress bar move (test/e2e/sync-status.e2e.test.ts):
 * with TIDINGS_TEST_SYNC_BATCH_PAUSE_MS set, the sync waits that long after storing each batch, so a small
 * import lasts long enough to be seen. Read at each batch, as the test server runs in the test's process;
 * unset (always, outside those tests) it returns at once.
 */
export function testPace(): Promise<void> | undefined {
  const ms = Number(process.env.TIDINGS_TEST_SYNC_BATCH_PAUSE_MS ?? 0);
  if (!(ms > 0)) return undefined;
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10_000)));
}
