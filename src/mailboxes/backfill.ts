import type { Backfill } from './tables.ts';

const DAY_MS = 24 * 3600 * 1000;
const DAYS: Readonly<Record<Backfill, number | null>> = { '30d': 30, '90d': 90, '1y': 365, all: null };

/** The column's default, for a mailbox bound without a choice. */
export const DEFAULT_BACKFILL: Backfill = '90d';

/** Where a backfill window of this length starts, counted back from `now`; null: everything. */
export function backfillFrom(backfill: Backfill, now: Date): Date | null {
  const days = DAYS[backfill];
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

/**
 * The window's start after an admin chose `backfill`: moved back when that reaches older mail, kept
 * when it is narrower (mail already synced stays, and a later full listing must still list it).
 */
export function widenedBackfillFrom(current: Date | null, backfill: Backfill, now: Date): Date | null {
  if (current === null) return null;
  const wanted = backfillFrom(backfill, now);
  return wanted === null || wanted < current ? wanted : current;
}
