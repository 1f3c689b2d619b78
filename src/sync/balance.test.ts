import { describe, expect, it } from 'vitest';
import { planLeases, shareOf } from './balance.ts';

const ids = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('shareOf', () => {
  it('splits the mailboxes over the live processes, rounded up', () => {
    expect(shareOf(300, 3)).toBe(100);
    expect(shareOf(301, 3)).toBe(101);
    expect(shareOf(2, 3)).toBe(1);
    expect(shareOf(5, 0)).toBe(5);
  });
});

describe('planLeases', () => {
  it('takes free mailboxes up to its share, never one another process holds', () => {
    const wanted = ids(300);
    const heldByOthers = new Set(wanted.slice(0, 100));
    const plan = planLeases({ wanted, mine: [], heldByOthers, liveProcesses: 3 });
    expect(plan.take).toHaveLength(100);
    expect(plan.take.some((id) => heldByOthers.has(id))).toBe(false);
    expect(new Set(plan.take).size).toBe(100);
    expect(plan.giveBack).toEqual([]);
  });

  it('gives back what is beyond its share when a process joins', () => {
    const wanted = ids(300);
    const plan = planLeases({ wanted, mine: wanted, heldByOthers: new Set(), liveProcesses: 2 });
    expect(plan.giveBack).toHaveLength(150);
    expect(plan.take).toEqual([]);
  });

  it('moves nothing at its share, and takes a dead process share once the live count drops', () => {
    const wanted = ids(300);
    const mine = wanted.slice(0, 100);
    const others = new Set(wanted.slice(100, 200)); // the third process's leases expired
    expect(planLeases({ wanted, mine, heldByOthers: others, liveProcesses: 3 })).toEqual({ take: [], giveBack: [] });
    const after = planLeases({ wanted, mine, heldByOthers: others, liveProcesses: 2 });
    expect(after.take).toHaveLength(50);
    expect(after.take.every((id) => !others.has(id) && !mine.includes(id))).toBe(true);
  });
});
