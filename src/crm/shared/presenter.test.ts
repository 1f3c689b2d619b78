import { describe, expect, it } from 'vitest';
import { storedFields } from './presenter.ts';

describe('storedFields', () => {
  it('reads each named field from its snake_case column and leaves the other columns out', () => {
    const row = { name: 'Acme', company_id: 'c1', expected_close_date: null, owner_user_id: 'u1' };
    expect(storedFields(row, ['name', 'companyId', 'expectedCloseDate'])).toEqual({
      name: 'Acme',
      companyId: 'c1',
      expectedCloseDate: null,
    });
  });
});
