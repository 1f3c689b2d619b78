import { describe, expect, it } from 'vitest';
import { highlight } from './highlight.ts';
import { containsPattern, extractLabels, parseQuery, tsOperand } from './query-terms.ts';

describe('parseQuery', () => {
  it('splits words and CJK runs and classifies CJK terms by length', () => {
    expect(parseQuery('Invoice Q3合同 报价单 的')).toEqual([
      { text: 'invoice', kind: 'word' },
      { text: 'q3', kind: 'word' },
      { text: '合同', kind: 'cjk2' },
      { text: '报价单', kind: 'cjk3' },
      { text: '的', kind: 'cjk1' },
    ]);
  });
  it('keeps addresses whole, trims edge punctuation, drops duplicates and empty terms', () => {
    expect(parseQuery('  "Zhang.Wei@Example.cn", zhang.wei@example.cn ... ')).toEqual([{ text: 'zhang.wei@example.cn', kind: 'word' }]);
    expect(parseQuery('!!! ，、')).toEqual([]);
  });
  it('normalises full-width letters (NFKC)', () => {
    expect(parseQuery('ＩＮＶＯ')).toEqual([{ text: 'invo', kind: 'word' }]);
  });
});

describe('tsOperand and containsPattern', () => {
  it('quotes so operators in input are never parsed', () => {
    expect(tsOperand("o'brien & !x", { prefix: true, weights: 'AB' })).toBe("'o''brien & !x':*AB");
    expect(tsOperand('合同', { prefix: false, weights: '' })).toBe("'合同'");
    expect(tsOperand('a\\b', { prefix: false, weights: 'B' })).toBe("'a\\\\b':B");
  });
  it('escapes LIKE wildcards', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('highlight', () => {
  it('marks every term case-insensitively and escapes HTML', () => {
    expect(highlight('<b>Invoice</b> for the INVOICE run', ['invo'])).toBe(
      '&lt;b&gt;<mark>Invo</mark>ice&lt;/b&gt; for the <mark>INVO</mark>ICE run',
    );
  });
  it('cuts a window around the first match with ellipses', () => {
    const text = `${'x'.repeat(300)} 合同 ${'y'.repeat(300)}`;
    const h = highlight(text, ['合同'], 60)!;
    expect(h.startsWith('…')).toBe(true);
    expect(h.endsWith('…')).toBe(true);
    expect(h).toContain('<mark>合同</mark>');
    expect(h.length).toBeLessThan(90);
  });
  it('is null when nothing matches', () => {
    expect(highlight('nothing here', ['合同'])).toBeNull();
  });
});

describe('extractLabels', () => {
  it('takes label: terms out of the query as label keys, Gmail style', () => {
    expect(extractLabels('invoice label:Customers')).toEqual({ rest: 'invoice  ', labels: ['customers'] });
    expect(extractLabels('label:"Big Deals" 合同 label：“重要 客户” LABEL:big-deals').labels).toEqual(['big-deals', '重要-客户']);
    expect(extractLabels('label:\\Important').labels).toEqual(['important']);
    expect(parseQuery(extractLabels('label:Q3/北京 报价').rest)).toEqual([{ text: '报价', kind: 'cjk2' }]);
  });
  it('leaves words that only contain "label:" and empty labels alone', () => {
    expect(extractLabels('relabel:x label:').labels).toEqual([]);
    expect(extractLabels('label:"" x').labels).toEqual([]);
  });
});
