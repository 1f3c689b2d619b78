import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useKeysetQuery } from '../api/use-keyset-query.ts';
import { COMPANIES_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { CompaniesTable } from '../features/crm/companies-table.tsx';
import { CompanyFormModal } from '../features/crm/company-form-modal.tsx';
import { CrmListPage } from '../features/crm/crm-list-page.tsx';
import { useCrmT } from '../features/crm/text.ts';
import { usePeople } from '../features/crm/use-people.ts';

export function CompaniesPage() {
  const { t } = useCrmT();
  const { people, nameOf } = usePeople();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
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
          <TextInput
            leftSection={<IconSearch size={16} />}
            placeholder={t('companies.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={260}
            aria-label={t('actions.search')}
            data-testid="companies-search"
          />
          <Select
            placeholder={t('filters.owner')}
            data={people.map((p) => ({ value: p.id, label: p.name }))}
            value={ownerId}
            onChange={setOwnerId}
            clearable
            w={180}
            aria-label={t('filters.owner')}
          />
        </Group>
      }
      table={(items, actions) => <CompaniesTable companies={items} sort={sort} onSort={setSort} ownerName={nameOf} {...actions} />}
      form={({ record, ...props }) => <CompanyFormModal company={record} {...props} />}
      remove={crmApi.deleteCompany}
    />
  );
}
