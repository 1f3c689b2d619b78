import { describe } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { withCrlf } from './line-endings.ts';

describe('withCrlf', () => {
  itMaps('%j → %j', (s: string) => withCrlf(Buffer.from(s, 'latin1')).toString('latin1'), [
    ['a\r\nb\r\n', 'a\r\nb\r\n'],
    ['a\nb\n', 'a\r\nb\r\n'],
    ['a\r\nb\nc', 'a\r\nb\r\nc'],
    ['\n', '\r\n'],
    ['no line end', 'no line end'],
    ['caf\xe9\n', 'caf\xe9\r\n'],
  ]);
});
