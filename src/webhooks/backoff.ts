/**
 * When a failed delivery is tried again: exponential from 30 s, doubling, capped at an hour, each wait
 * drawn at random between half and all of it (jitter, so receivers coming back are not hit by every
 * retry at the same second), until a day after the delivery was first due; then it fails.
 */
export interface RetrySchedule {
  firstDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  firstDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
};

/** The wait after the `attempts`-th failed attempt (1 = the first), before jitter. */
export function baseDelayMs(attempts: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(schedule.firstDelayMs * 2 ** exponent, schedule.maxDelayMs);
}

/**
 * The next attempt after `attempts` failures, or null when it would fall more than the schedule's day
 * after `firstDueAt` (the delivery then fails). `random` in [0, 1) is injectable so tests see every value.
 */
export function nextAttemptAt(
  firstDueAt: Date,
  attempts: number,
  now: Date,
  random: () => number = Math.random,
  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE,
): Date | null {
  const base = baseDelayMs(attempts, schedule);
  const at = new Date(now.getTime() + base / 2 + random() * (base / 2));
  return at.getTime() - firstDueAt.getTime() > schedule.giveUpAfterMs ? null : at;
}
