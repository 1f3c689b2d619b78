import { describe, expect, it } from 'vitest';
import { type Cut, segmentsOf } from './rollups.ts';

const HOUR = 3_600_000;
const span = (iso: string, grain: 'month' | 'day' | 'hour' | 'exact') => {
  const a = Date.parse(iso);
  if (grain === 'month') {
    const d = new Date(a);
    return [a, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)] as const;
  }
  return [a, a + (grain === 'day' ? 24 * HOUR : HOUR)] as const;
};

describe('segmentsOf', () => {
  it('covers the range once with units no cut falls inside, in +05:30 weeks over random ranges', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let run = 0; run < 200; run++) {
      const start = Date.UTC(2026, 0, 1) + Math.floor(random() * 400) * 86_400_000 - 5.5 * HOUR;
      const end = start + Math.floor(1 + random() * 500) * 86_400_000;
      const cuts: Cut[] = [{ at: start }, { at: end }];
      for (let w = start + 7 * 86_400_000; w < end; w += 7 * 86_400_000) cuts.push({ at: w });
      const now = start + Math.floor(random() * (end - start));
      cuts.push({ at: now, strict: true }, { at: Math.floor(now / HOUR) * HOUR - 24 * HOUR, strict: true });
      const seg = segmentsOf(start, end, cuts);
      const units = (['month', 'day', 'hour', 'exact'] as const).flatMap((g) => seg[g].map((iso) => ({ g, s: span(iso, g) })));
      units.sort((a, b) => a.s[0] - b.s[0]);
      // Contiguous, no overlap, from the hour holding start to the hour holding end.
      const gaps = units.filter((u, i) => i > 0 && u.s[0] !== units[i - 1]!.s[1]);
      expect(gaps).toEqual([]);
      expect(units[0]!.s[0]).toBe(Math.floor(start / HOUR) * HOUR);
      expect(units.at(-1)!.s[1]).toBeGreaterThanOrEqual(end);
      const wrong = units
        .filter((u) => u.g !== 'exact')
        .filter(
          (u) => u.s[0] < start || u.s[1] > end || cuts.some((c) => (c.at > u.s[0] && c.at < u.s[1]) || (c.strict && c.at === u.s[0])),
        );
      expect(wrong).toEqual([]);
    }
  });

  it('takes whole months, then days, then hours, and reads only the hours a cut splits', () => {
    const start = Date.UTC(2026, 0, 30, 18, 30);
    const end = Date.UTC(2026, 3, 2, 18, 30);
    const seg = segmentsOf(start, end, [{ at: start }, { at: end }]);
    expect(seg.month).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(seg.day).toEqual(['2026-01-31T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(seg.exact).toEqual(['2026-01-30T18:00:00.000Z', '2026-04-02T18:00:00.000Z']);
    expect(seg.hour).toHaveLength(5 + 18);
  });
});
