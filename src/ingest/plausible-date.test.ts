import { describe, expect, it } from 'vitest';
import { isImplausibleDate, sortDate } from './plausible-date.ts';

const received = new Date('2026-12-01T10:00:00Z');
const now = new Date('2026-12-07T00:00:00Z');

describe('sortDate', () => {
  it('keeps a header date that is plausible, earlier or a little later than the received date', () => {
    const earlier = new Date('2019-05-04T08:00:00Z');
    expect(sortDate(earlier, received, now)).toEqual(earlier);
    // A sender's clock or time zone hours off is not a lie worth correcting.
    const hoursLater = new Date('2026-12-01T20:00:00Z');
    expect(sortDate(hoursLater, received, now)).toEqual(hoursLater);
  });

  it('sorts spam dated year 3609 by the received date', () => {
    expect(sortDate(new Date('3609-01-01T00:00:00Z'), received, now)).toEqual(received);
  });

  it('takes the received date for a header more than a day after it', () => {
    expect(isImplausibleDate(new Date('2026-12-02T10:00:01Z'), received, now)).toBe(true);
    expect(isImplausibleDate(new Date('2026-12-02T09:59:59Z'), received, now)).toBe(false);
  });

  it('takes the received date for a header before 1990 (a dead clock says 1970)', () => {
    expect(sortDate(new Date(0), received, now)).toEqual(received);
    expect(sortDate(new Date('1989-12-31T23:00:00Z'), received, now)).toEqual(received);
    expect(sortDate(new Date('1990-01-02T00:00:00Z'), received, now)).toEqual(new Date('1990-01-02T00:00:00Z'));
  });

  it('judges against now when the server gave no received date', () => {
    expect(sortDate(new Date('3609-01-01T00:00:00Z'), null, now)).toEqual(now);
    expect(sortDate(new Date('2026-12-07T12:00:00Z'), null, now)).toEqual(new Date('2026-12-07T12:00:00Z'));
  });

  it('uses the received date without a header date, and null without either', () => {
    expect(sortDate(null, received, now)).toEqual(received);
    expect(sortDate(null, null, now)).toBeNull();
    expect(sortDate(new Date(Number.NaN), received, now)).toEqual(received);
  });
});
