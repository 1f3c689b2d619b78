import type { CrmRecord } from '../shared/records.ts';
import { type PurchaseView, presentPurchase } from './presenter.ts';
import { deletePurchase, findPurchase, listPurchases, type PurchaseFilters, type PurchaseRow, purchaseSortFields } from './repository.ts';

export const purchaseRecord: CrmRecord<PurchaseRow, PurchaseView, PurchaseFilters> = {
  what: 'purchase',
  find: findPurchase,
  present: presentPurchase,
  sortFields: purchaseSortFields,
  idColumn: 'p.id',
  list: listPurchases,
  remove: deletePurchase,
};
