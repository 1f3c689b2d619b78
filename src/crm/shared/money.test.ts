import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './keyset.ts';
import { formatCents, isCurrency, lineCents, normaliseMoney, toScaled } from './money.ts';

describe('money', () => {
  it('does decimal arithmetic without floats', () => {
    expect(lineCents('3', '0.10')).toBe(30n);
    expect(lineCents('1.5', '19999.99')).toBe(2999999n); // 29999.985 rounds half up
    expect(lineCents('0.001', '0.01')).toBe(0n);
    expect(formatCents(-5n)).toBe('-0.05');
    expect(normaliseMoney('12')).toBe('12.00');
    expect(normaliseMoney('999999999999.99')).toBe('999999999999.99');
    expect(() => toScaled('1.234', 2)).toThrow();
  });

  it('knows ISO 4217 codes', () => {
    expect(isCurrency('CNY')).toBe(true);
    expect(isCurrency('XYZ')).toBe(false);
  });
});

describe('keyset cursors', () => {
  it('round-trip and refuse tampering or another sort', () => {
    const id = '0b7e7c5e-8f1a-4c1e-9d3a-2f6b8e1c0a11';
    const c = encodeCursor('-updatedAt', '2026-11-28 03:18:00.123456+00', id);
    expect(decodeCursor(c, '-updatedAt')).toEqual({ sort: '-updatedAt', key: '2026-11-28 03:18:00.123456+00', id });
    expect(() => decodeCursor(c, 'name')).toThrow(/another sort/);
    expect(() => decodeCursor('bm9wZQ', 'name')).toThrow(/not one this API/);
    expect(() => decodeCursor(encodeCursor('name', 'x', "1'; drop table contacts; --"), 'name')).toThrow();
  });
});
