import { describe, expect, it } from 'vitest';
import { cjkBigrams } from './email-conditions.ts';

describe('cjkBigrams', () => {
  it('gives every adjacent pair once, by code point', () => {
    expect(cjkBigrams('季度报价')).toEqual(['季度', '度报', '报价']);
    expect(cjkBigrams('哈哈哈')).toEqual(['哈哈']);
    expect(cjkBigrams('𠀀𠀁字')).toEqual(['𠀀𠀁', '𠀁字']);
  });
});
