import { describe, expect, it } from 'vitest';
import { backfillFrom, widenedBackfillFrom } from './backfill.ts';

const now = new Date('2026-11-28T12:00:00Z');
const daysBefore = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('backfill window', () => {
  it('starts the chosen length before now, or nowhere for everything', () => {
    expect(backfillFrom('30d', now)).toEqual(daysBefore(30));
    expect(backfillFrom('1y', now)).toEqual(daysBefore(365));
    expect(backfillFrom('all', now)).toBeNull();
  });

  it('moves back when widened and never forward', () => {
    const bound = daysBefore(200); // bound with 90 days, 110 days ago
    expect(widenedBackfillFrom(bound, '1y', now)).toEqual(daysBefore(365));
    expect(widenedBackfillFrom(bound, 'all', now)).toBeNull();
    expect(widenedBackfillFrom(bound, '90d', now)).toEqual(bound); // 90 days from now is newer: kept
    expect(widenedBackfillFrom(bound, '30d', now)).toEqual(bound);
    expect(widenedBackfillFrom(null, '30d', now)).toBeNull(); // everything stays everything
  });
});
