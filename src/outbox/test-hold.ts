/**
 * TEST HOOK, for the crash tests only (test/outbox/crash.test.ts): with TIDINGS_TEST_OUTBOX_HOLD_AT set
 * to a point of sending, the worker prints `outbox-hold <point> <outbox id>` when it gets there and then
 * waits forever, so the test can kill the process at exactly that step. Read once at start; unset (always,
 * outside those tests) every call returns at once.
 */
export type HoldPoint = 'queued' | 'connected' | 'transmitted' | 'accepted';

const HOLD_AT = process.env.TIDINGS_TEST_OUTBOX_HOLD_AT as HoldPoint | undefined;

export function testHold(point: HoldPoint, outboxId: string): Promise<void> | undefined {
  if (HOLD_AT !== point) return undefined;
  process.stdout.write(`outbox-hold ${point} ${outboxId}\n`);
  return new Promise(() => {});
}
