import { expect, it } from 'vitest';

/**
 * One test per row of a table for a pure function of one input: `fn(input)` must equal the row's expected
 * value. `title` is Vitest's `it.each` format, e.g. '%s → %s' (%j for strings with blanks or none).
 */
export function itMaps<In, Out>(title: string, fn: (input: In) => Out, cases: ReadonlyArray<readonly [In, Out]>): void {
  it.each(cases.map(([input, expected]) => [input, expected] as [In, Out]))(title, (input, expected) => {
    expect(fn(input)).toEqual(expected);
  });
}
