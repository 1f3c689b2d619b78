import { Group } from '@mantine/core';
import { useState } from 'react';
import { COMPANIES_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { CompaniesTable } from '../features/crm/companies-table.tsx';
import { CompanyFormModal } from '../features/crm/company-form-modal.tsx';
import { CrmListPage, OwnerFilter, SearchFilter, useRecordList } from '../features/crm/crm-list-page.tsx';
import { usePeople } from '../features/crm/use-people.ts';

export function CompaniesPage() {
  const { nameOf } = usePeople();
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const { search, setSearch, q, sort, setSort, list } = useRecordList('companies', crmApi.companies, {
    defaultSort: 'name',
    filters: { ownerId },
  });

  return (
    <CrmListPage
      kind="companies"
      one="company"
      exportUrl={COMPANIES_EXPORT_URL}
      list={list}
      filtered={Boolean(q || ownerId)}
      filters={
        <Group gap="xs" mb="sm">
          <SearchFilter kind="companies" value={search} onChange={setSearch} />
          <OwnerFilter value={ownerId} onChange={setOwnerId} />
        </Group>
      }
      table={(items, actions) => <CompaniesTable rows={items} sort={sort} onSort={setSort} ownerName={nameOf} menu={actions} />}
      form={({ record, ...props }) => <CompanyFormModal company={record} {...props} />}
      remove={crmApi.deleteCompany}
    />
  );
}
