import { describe, expect, it } from 'vitest';
import { columnOf, definedColumns, toDate, toJson } from './columns.ts';

describe('definedColumns', () => {
  it('names each column by snake-casing its field', () => {
    expect(columnOf('ownerUserId')).toBe('owner_user_id');
    expect(columnOf('callDurationSeconds')).toBe('call_duration_seconds');
    expect(columnOf('name')).toBe('name');
  });

  it('leaves out undefined fields and fields it was not given, converts non-null values and keeps null as null', () => {
    const write = { name: 'Acme', notes: undefined, dueAt: '2026-12-01T00:00:00.000Z', doneAt: null, items: [1], secret: 'x' };
    expect(definedColumns(write, ['name', 'notes', 'dueAt', 'doneAt', 'items'], { dueAt: toDate, doneAt: toDate, items: toJson })).toEqual({
      name: 'Acme',
      due_at: new Date('2026-12-01T00:00:00.000Z'),
      done_at: null,
      items: '[1]',
    });
  });
});
