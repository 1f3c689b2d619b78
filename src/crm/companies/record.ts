import type { CrmRecord } from '../shared/records.ts';
import { type CompanyView, presentCompany } from './presenter.ts';
import { type CompanyFilters, type CompanyRow, companySortFields, deleteCompany, findCompany, listCompanies } from './repository.ts';

export const companyRecord: CrmRecord<CompanyRow, CompanyView, CompanyFilters> = {
  what: 'company',
  find: findCompany,
  present: presentCompany,
  sortFields: companySortFields,
  idColumn: 'co.id',
  list: listCompanies,
  remove: deleteCompany,
  deleteDetail: (row) => ({ name: row.name }),
};
