import { describe, expect, it } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { withBccHeader } from './bcc-header.ts';
import { SendError } from './errors.ts';

const body = '\r\nHello\r\n';
/** The Bcc line withBccHeader adds for a source with these headers and recipients ('' when none). */
const added = ([head, recipients]: [string, string[]]) => {
  const raw = Buffer.from(head + body, 'latin1');
  const out = withBccHeader(raw, recipients);
  return out.subarray(0, out.length - raw.length).toString('latin1');
};

describe('withBccHeader', () => {
  itMaps('%j → %j', added, [
    [['To: a@x.test\r\nCc: b@x.test\r\n', ['a@x.test', 'b@x.test']], ''],
    [['To: "A, Person" <A@X.test>\r\n', ['a@x.test', 'c@y.test']], 'Bcc: c@y.test\r\n'],
    // Folded To, encoded display names and groups still name their addresses.
    [['To: =?UTF-8?B?5byg5LiJ?= <zhang@x.test>,\r\n team: d@x.test, e@x.test;\r\n', ['zhang@x.test', 'd@x.test', 'e@x.test']], ''],
    [['To: a@x.test\r\n', ['a@x.test', 'h1@y.test', 'H1@y.test', 'h2@y.test']], 'Bcc: h1@y.test,\r\n h2@y.test\r\n'],
  ]);

  it('keeps the source itself when everyone is named, and refuses an address that could inject a header', () => {
    const raw = Buffer.from(`To: a@x.test\r\n${body}`);
    expect(withBccHeader(raw, ['a@x.test'])).toBe(raw);
    expect(() => withBccHeader(raw, ['evil@x.test\r\nX-Injected: 1'])).toThrow(SendError);
    expect(() => withBccHeader(raw, ['a@x.test, b@y.test'])).toThrow(SendError);
  });
});
