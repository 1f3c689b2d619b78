import { Group } from '@mantine/core';
import { useState } from 'react';
import { useKeysetQuery } from '../api/use-keyset-query.ts';
import { COMPANIES_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { CompaniesTable } from '../features/crm/companies-table.tsx';
import { CompanyFormModal } from '../features/crm/company-form-modal.tsx';
import { CrmListPage, OwnerFilter, SearchFilter, useSearchText } from '../features/crm/crm-list-page.tsx';
import { usePeople } from '../features/crm/use-people.ts';

export function CompaniesPage() {
  const { nameOf } = usePeople();
  const { search, setSearch, q } = useSearchText();
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [sort, setSort] = useState('name');
  const params = { q, ownerId, sort, limit: 50 };
  const list = useKeysetQuery(['companies', params], (cursor) => crmApi.companies({ ...params, cursor }));

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
      table={(items, actions) => <CompaniesTable companies={items} sort={sort} onSort={setSort} ownerName={nameOf} {...actions} />}
      form={({ record, ...props }) => <CompanyFormModal company={record} {...props} />}
      remove={crmApi.deleteCompany}
    />
  );
}
