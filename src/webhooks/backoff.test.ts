import { describe, expect, it } from 'vitest';
import { baseDelayMs, DEFAULT_RETRY_SCHEDULE, nextAttemptAt } from './backoff.ts';

const HOUR = 3_600_000;

describe('webhook retry backoff', () => {
  it('doubles from 30 s and stops growing at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => baseDelayMs(n))).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      480_000,
      960_000,
      1_920_000,
      HOUR,
      HOUR,
    ]);
  });

  it('draws each wait between half and all of it (jitter)', () => {
    const now = new Date('2026-12-10T00:00:00Z');
    const low = nextAttemptAt(now, 3, now, () => 0)!;
    const high = nextAttemptAt(now, 3, now, () => 0.999999)!;
    expect(low.getTime() - now.getTime()).toBe(60_000);
    expect(high.getTime() - now.getTime()).toBeGreaterThanOrEqual(119_999);
    expect(high.getTime() - now.getTime()).toBeLessThanOrEqual(120_000);
  });

  it('retries for a day on a clock that never waits, then gives up', () => {
    const first = new Date('2026-12-10T00:00:00Z');
    let now = first;
    const waits: number[] = [];
    for (let attempts = 1; ; attempts++) {
      const next = nextAttemptAt(first, attempts, now, () => 0.5);
      if (!next) break;
      waits.push(next.getTime() - now.getTime());
      now = next;
    }
    const spent = now.getTime() - first.getTime();
    expect(spent).toBeLessThanOrEqual(DEFAULT_RETRY_SCHEDULE.giveUpAfterMs);
    // It gave up because the next wait would pass the day, not earlier.
    expect(spent + baseDelayMs(waits.length + 1) * 0.75).toBeGreaterThan(DEFAULT_RETRY_SCHEDULE.giveUpAfterMs);
    expect(waits.length).toBeGreaterThan(20);
    expect(Math.max(...waits)).toBe(HOUR * 0.75);
  });
});
