import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useKeysetQuery } from '../api/use-keyset-query.ts';
import { CONTACTS_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { ContactFormModal } from '../features/crm/contact-form-modal.tsx';
import { ContactsTable } from '../features/crm/contacts-table.tsx';
import { CrmListPage } from '../features/crm/crm-list-page.tsx';
import { CompanySelect } from '../features/crm/record-select.tsx';
import { useCrmT } from '../features/crm/text.ts';
import { usePeople } from '../features/crm/use-people.ts';

export function ContactsPage() {
  const { t } = useCrmT();
  const { people, nameOf } = usePeople();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [company, setCompany] = useState<{ value: string; label: string } | null>(null);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [tagFilter] = useDebouncedValue(tag.trim(), 250);
  const [sort, setSort] = useState('name');

  const params = { q, companyId: company?.value, ownerId, tag: tagFilter, sort, limit: 50 };
  const list = useKeysetQuery(['contacts', params], (cursor) => crmApi.contacts({ ...params, cursor }));

  return (
    <CrmListPage
      kind="contacts"
      one="contact"
      exportUrl={CONTACTS_EXPORT_URL}
      list={list}
      filtered={Boolean(q || company || ownerId || tagFilter)}
      filters={
        <Group gap="xs" mb="sm" align="flex-end">
          <TextInput
            leftSection={<IconSearch size={16} />}
            placeholder={t('contacts.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={260}
            aria-label={t('actions.search')}
            data-testid="contacts-search"
          />
          <CompanySelect
            label=""
            placeholder={t('filters.company')}
            value={company}
            onChange={setCompany}
            testId="contacts-filter-company"
          />
          <Select
            placeholder={t('filters.owner')}
            data={people.map((p) => ({ value: p.id, label: p.name }))}
            value={ownerId}
            onChange={setOwnerId}
            clearable
            w={180}
            aria-label={t('filters.owner')}
            data-testid="contacts-filter-owner"
          />
          <TextInput
            placeholder={t('filters.tag')}
            value={tag}
            onChange={(e) => setTag(e.currentTarget.value)}
            w={150}
            aria-label={t('filters.tag')}
            data-testid="contacts-filter-tag"
          />
        </Group>
      }
      table={(items, actions) => <ContactsTable contacts={items} sort={sort} onSort={setSort} ownerName={nameOf} {...actions} />}
      form={({ record, ...props }) => <ContactFormModal contact={record} {...props} />}
      remove={crmApi.deleteContact}
    />
  );
}
