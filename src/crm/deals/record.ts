import type { CrmRecord } from '../shared/records.ts';
import { type DealView, presentDeal } from './presenter.ts';
import { type DealFilters, type DealRow, dealSortFields, deleteDeal, findDeal, listDeals } from './repository.ts';

export const dealRecord: CrmRecord<DealRow, DealView, DealFilters> = {
  what: 'deal',
  find: findDeal,
  present: presentDeal,
  sortFields: dealSortFields,
  idColumn: 'd.id',
  list: listDeals,
  remove: deleteDeal,
};
