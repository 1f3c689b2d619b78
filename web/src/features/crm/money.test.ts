import { describe, expect, it } from 'vitest';
import { fromCents, toCents, totalsByCurrency } from './money.ts';

describe('CRM money helpers', () => {
  it('reads decimal strings as exact cents', () => {
    expect(toCents('0.1')).toBe(10n);
    expect(toCents('1234.56')).toBe(123456n);
    expect(toCents('-3.05')).toBe(-305n);
    expect(toCents('not money')).toBe(0n);
    expect(fromCents(123456n)).toBe('1234.56');
    expect(fromCents(-5n)).toBe('-0.05');
  });

  it('adds per currency without float drift', () => {
    const rows = [
      { amount: '0.10', currency: 'CNY' },
      { amount: '0.20', currency: 'CNY' },
      { amount: '99', currency: 'USD' },
    ];
    expect(totalsByCurrency(rows)).toEqual([
      { currency: 'CNY', amount: '0.30' },
      { currency: 'USD', amount: '99.00' },
    ]);
  });
});
