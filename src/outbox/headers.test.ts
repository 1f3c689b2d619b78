import { describe } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { isPlainAddress, replyReferences } from './headers.ts';

describe('plain addresses', () => {
  itMaps('%j → %s', isPlainAddress, [
    ['li.lei@customer.example', true],
    ['a+tag@sub.example.co.uk', true],
    ['张三@例子.中国', true],
    ['Eve <eve@x.example>', false],
    ['a@x.example, b@x.example', false],
    ['eve@x.example\r\nBcc: v@x.example', false],
    ['eve@x.example\n', false],
    ['"quoted"@x.example', false],
    ['no-at-sign', false],
    ['@x.example', false],
    ['a@', false],
    ['a..b@x.example', false],
    ['a@-x.example', false],
  ]);
});

describe('References of a reply', () => {
  itMaps('%j', ([refs, id]: [string[], string | null]) => replyReferences(refs, id), [
    [
      [['<a@x>', 'junk', '<b@x>'], '<c@x>'],
      ['<a@x>', '<b@x>', '<c@x>'],
    ],
    [[[], '<c@x>'], ['<c@x>']],
    [[['<a@x>', '<a@x>'], null], ['<a@x>']],
    [
      [Array.from({ length: 30 }, (_, i) => `<m${i}@x>`), '<last@x>'],
      ['<m0@x>', ...Array.from({ length: 18 }, (_, i) => `<m${i + 12}@x>`), '<last@x>'],
    ],
  ]);
});
