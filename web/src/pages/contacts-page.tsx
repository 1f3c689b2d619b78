import { Group, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { CONTACTS_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { ContactFormModal } from '../features/crm/contact-form-modal.tsx';
import { ContactsTable } from '../features/crm/contacts-table.tsx';
import { CrmListPage, OwnerFilter, SearchFilter, useRecordList } from '../features/crm/crm-list-page.tsx';
import { CompanySelect } from '../features/crm/record-select.tsx';
import { useCrmT } from '../features/crm/text.ts';
import { usePeople } from '../features/crm/use-people.ts';

export function ContactsPage() {
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const [company, setCompany] = useState<{ value: string; label: string } | null>(null);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [tagFilter] = useDebouncedValue(tag.trim(), 250);
  const { search, setSearch, q, sort, setSort, list } = useRecordList('contacts', crmApi.contacts, {
    defaultSort: 'name',
    filters: { companyId: company?.value, ownerId, tag: tagFilter },
  });

  return (
    <CrmListPage
      kind="contacts"
      one="contact"
      exportUrl={CONTACTS_EXPORT_URL}
      list={list}
      filtered={Boolean(q || company || ownerId || tagFilter)}
      filters={
        <Group gap="xs" mb="sm" align="flex-end">
          <SearchFilter kind="contacts" value={search} onChange={setSearch} />
          <CompanySelect
            label=""
            placeholder={t('filters.company')}
            value={company}
            onChange={setCompany}
            testId="contacts-filter-company"
          />
          <OwnerFilter value={ownerId} onChange={setOwnerId} testId="contacts-filter-owner" />
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
      table={(items, actions) => <ContactsTable rows={items} sort={sort} onSort={setSort} ownerName={nameOf} menu={actions} />}
      form={({ record, ...props }) => <ContactFormModal contact={record} {...props} />}
      remove={crmApi.deleteContact}
    />
  );
}
