import { Button, Group, Loader, Paper, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPlus, IconSearch, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLastNonNull } from '../components/use-last-non-null.ts';
import { CONTACTS_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { ContactFormModal } from '../features/crm/contact-form-modal.tsx';
import { ContactsTable } from '../features/crm/contacts-table.tsx';
import { CrmErrorAlert } from '../features/crm/crm-error-alert.tsx';
import { CsvImportModal } from '../features/crm/csv-import-modal.tsx';
import { LoadMore } from '../features/crm/load-more.tsx';
import { CompanySelect } from '../features/crm/record-select.tsx';
import { useCrmT } from '../features/crm/text.ts';
import type { Contact } from '../features/crm/types.ts';
import { useKeysetQuery } from '../api/use-keyset-query.ts';
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
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const deletingShown = useLastNonNull(deleting);

  const params = { q, companyId: company?.value, ownerId, tag: tagFilter, sort, limit: 50 };
  const list = useKeysetQuery(['contacts', params], (cursor) => crmApi.contacts({ ...params, cursor }));
  const filtered = Boolean(q || company || ownerId || tagFilter);

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        subtitle={t('contacts.subtitle')}
        actions={
          <>
            <Button variant="default" component="a" href={CONTACTS_EXPORT_URL} download leftSection={<IconDownload size={16} />} data-testid="contacts-export">
              {t('actions.export')}
            </Button>
            <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImportOpen(true)} data-testid="contacts-import">
              {t('actions.import')}
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => { setEditing(null); setFormOpen(true); }} data-testid="contacts-create">
              {t('contacts.create')}
            </Button>
          </>
        }
      />
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
        <CompanySelect label="" placeholder={t('filters.company')} value={company} onChange={setCompany} testId="contacts-filter-company" />
        <Select placeholder={t('filters.owner')} data={people.map((p) => ({ value: p.id, label: p.name }))} value={ownerId} onChange={setOwnerId} clearable w={180} aria-label={t('filters.owner')} data-testid="contacts-filter-owner" />
        <TextInput placeholder={t('filters.tag')} value={tag} onChange={(e) => setTag(e.currentTarget.value)} w={150} aria-label={t('filters.tag')} data-testid="contacts-filter-tag" />
      </Group>
      <CrmErrorAlert error={list.error} testId="contacts-error" />
      <Paper withBorder mt={list.error ? 'sm' : 0}>
        {list.items === null ? (
          <Group justify="center" p="xl"><Loader size="sm" /></Group>
        ) : list.items.length === 0 ? (
          <Text c="dimmed" ta="center" p="xl" size="sm" data-testid="contacts-empty">{filtered ? t('contacts.noMatch') : t('contacts.empty')}</Text>
        ) : (
          <ContactsTable
            contacts={list.items}
            sort={sort}
            onSort={setSort}
            ownerName={nameOf}
            onEdit={(c) => { setEditing(c); setFormOpen(true); }}
            onDelete={setDeleting}
          />
        )}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId="contacts-load-more" />
      </Paper>

      <ContactFormModal
        opened={formOpen}
        contact={editing}
        onClose={() => setFormOpen(false)}
        onSaved={(contact, created) => {
          setFormOpen(false);
          list.setItems((prev) => (created ? [contact, ...(prev ?? [])] : (prev ?? []).map((c) => (c.id === contact.id ? contact : c))));
          notifications.show({ color: 'teal', message: created ? t('contacts.created', { name: contact.name }) : t('saved') });
        }}
      />
      <ConfirmModal
        opened={deleting !== null}
        title={t('contacts.deleteTitle', { name: deletingShown?.name ?? '' })}
        body={t('contacts.deleteBody')}
        confirmLabel={t('actions.delete')}
        onConfirm={async () => {
          if (!deleting) return;
          await crmApi.deleteContact(deleting.id);
          list.setItems((prev) => (prev ?? []).filter((c) => c.id !== deleting.id));
        }}
        onClose={() => setDeleting(null)}
        testId="contact-delete-modal"
      />
      <CsvImportModal
        opened={importOpen}
        onClose={() => setImportOpen(false)}
        onImported={() => {
          setImportOpen(false);
          void list.reload();
        }}
      />
    </>
  );
}
