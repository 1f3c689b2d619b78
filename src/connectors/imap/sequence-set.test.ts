import { describe, expect, it } from 'vitest';
import { chunk, parseUids, toSequenceSet } from './sequence-set.ts';

describe('sequence sets', () => {
  it('compacts, sorts and deduplicates UIDs', () => {
    expect(toSequenceSet([9, 1, 2, 3, 7, 10, 3])).toBe('1:3,7,9:10');
    expect(toSequenceSet([42])).toBe('42');
    expect(toSequenceSet([])).toBe('');
    expect(toSequenceSet([4294967295, 4294967294])).toBe('4294967294:4294967295');
  });

  it('rejects remote ids that are not UIDs instead of sending them to the server', () => {
    expect(parseUids(['1', '4294967295'])).toEqual([1, 4294967295]);
    for (const bad of ['0', '-1', '1:*', '1,2', ' 1', '4294967296', '', 'abc']) expect(() => parseUids([bad])).toThrow(RangeError);
  });

  it('chunks in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
