import { describe, expect, it } from 'vitest';
import { headerZone, parseForwardedDate } from './forward-date.ts';
import { parseForwardedAddresses } from './rebuild-source.ts';

const CHINA = 480;

describe('parseForwardedDate', () => {
  it.each([
    ['Tue, Dec 1, 2026 at 3:05 PM', CHINA, '2026-12-01T07:05:00Z'],
    ['Tuesday, December 1, 2026 12:30 AM', CHINA, '2026-11-30T16:30:00Z'],
    ['2026年12月1日(星期二) 下午3:05', CHINA, '2026-12-01T07:05:00Z'],
    ['2026年12月1日 星期二 15:05', CHINA, '2026-12-01T07:05:00Z'],
    ['2026-12-01 15:05:09', CHINA, '2026-12-01T07:05:09Z'],
    ['1 December 2026 at 15:05:00 CET', CHINA, '2026-12-01T14:05:00Z'],
    ['December 1, 2026 at 3:05:00 PM GMT-5', CHINA, '2026-12-01T20:05:00Z'],
    ['Tue, 1 Dec 2026 15:05:00 +0100', CHINA, '2026-12-01T14:05:00Z'],
    ['2026/12/01', null, '2026-12-01T00:00:00Z'],
  ])('%s', (value, zone, expected) => {
    expect(parseForwardedDate(value, zone)?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('answers null for what is not a date', () => {
    expect(parseForwardedDate('yesterday', CHINA)).toBeNull();
    expect(parseForwardedDate('2026-13-01 10:00', CHINA)).toBeNull();
    expect(parseForwardedDate('2026-12-01 25:00', CHINA)).toBeNull();
  });

  it('reads the zone of a Date header', () => {
    expect(headerZone('Wed, 02 Dec 2026 09:00:00 +0800')).toBe(480);
    expect(headerZone('Wed, 02 Dec 2026 09:00:00 -0430 (VET)')).toBe(-270);
    expect(headerZone('Wed, 02 Dec 2026 09:00:00 GMT')).toBeNull();
    expect(headerZone(null)).toBeNull();
  });
});

describe('parseForwardedAddresses', () => {
  it('reads each client’s way of writing addresses', () => {
    expect(parseForwardedAddresses('"张伟"<Zhang.Wei@customer.cn>; "Li, Na"<li@customer.cn>;')).toEqual([
      { name: '张伟', address: 'zhang.wei@customer.cn' },
      { name: 'Li, Na', address: 'li@customer.cn' },
    ]);
    expect(parseForwardedAddresses('Zhang Wei [mailto:zhang.wei@customer.cn], bob@customer.cn')).toEqual([
      { name: 'Zhang Wei', address: 'zhang.wei@customer.cn' },
      { name: null, address: 'bob@customer.cn' },
    ]);
    expect(parseForwardedAddresses('张伟<zhang.wei@customer.cn>，李娜<li@customer.cn>')).toHaveLength(2);
    expect(parseForwardedAddresses('undisclosed recipients')).toEqual([]);
    expect(parseForwardedAddresses(undefined)).toEqual([]);
  });
});
