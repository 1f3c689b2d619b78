import { ActionIcon, Anchor, Badge, Button, Group, Loader, Menu, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconDownload, IconPencil, IconPlus, IconSearch, IconTrash, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ConfirmModal } from '../components/confirm-modal.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLastNonNull } from '../components/use-last-non-null.ts';
import { COMPANIES_EXPORT_URL, crmApi } from '../features/crm/api.ts';
import { CompanyFormModal } from '../features/crm/company-form-modal.tsx';
import { CrmErrorAlert } from '../features/crm/crm-error-alert.tsx';
import { CsvImportModal } from '../features/crm/csv-import-modal.tsx';
import { LoadMore } from '../features/crm/load-more.tsx';
import { SortHeader } from '../features/crm/sort-header.tsx';
import { formatDate, useCrmT } from '../features/crm/text.ts';
import type { Company } from '../features/crm/types.ts';
import { useKeysetQuery } from '../api/use-keyset-query.ts';
import { usePeople } from '../features/crm/use-people.ts';

export function CompaniesPage() {
  const { t, i18n } = useCrmT();
  const { people, nameOf } = usePeople();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [sort, setSort] = useState('name');
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<Company | null>(null);
  const [deleting, setDeleting] = useState<Company | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const deletingShown = useLastNonNull(deleting);
  const params = { q, ownerId, sort, limit: 50 };
  const list = useKeysetQuery(['companies', params], (cursor) => crmApi.companies({ ...params, cursor }));

  return (
    <>
      <PageHeader
        title={t('companies.title')}
        subtitle={t('companies.subtitle')}
        actions={
          <>
            <Button variant="default" component="a" href={COMPANIES_EXPORT_URL} download leftSection={<IconDownload size={16} />} data-testid="companies-export">{t('actions.export')}</Button>
            <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImportOpen(true)} data-testid="companies-import">{t('actions.import')}</Button>
            <Button leftSection={<IconPlus size={16} />} onClick={() => { setEditing(null); setFormOpen(true); }} data-testid="companies-create">{t('companies.create')}</Button>
          </>
        }
      />
      <Group gap="xs" mb="sm">
        <TextInput leftSection={<IconSearch size={16} />} placeholder={t('companies.searchPlaceholder')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} aria-label={t('actions.search')} data-testid="companies-search" />
        <Select placeholder={t('filters.owner')} data={people.map((p) => ({ value: p.id, label: p.name }))} value={ownerId} onChange={setOwnerId} clearable w={180} aria-label={t('filters.owner')} />
      </Group>
      <CrmErrorAlert error={list.error} testId="companies-error" />
      <Paper withBorder mt={list.error ? 'sm' : 0}>
        {list.items === null ? (
          <Group justify="center" p="xl"><Loader size="sm" /></Group>
        ) : list.items.length === 0 ? (
          <Text c="dimmed" ta="center" p="xl" size="sm" data-testid="companies-empty">{q || ownerId ? t('companies.noMatch') : t('companies.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={760} type="native">
            <Table verticalSpacing={6} fz="sm" highlightOnHover data-testid="companies-table">
              <Table.Thead>
                <Table.Tr>
                  <SortHeader field="name" sort={sort} onSort={setSort}>{t('fields.name')}</SortHeader>
                  <Table.Th>{t('fields.domains')}</Table.Th>
                  <Table.Th>{t('fields.industry')}</Table.Th>
                  <Table.Th>{t('fields.owner')}</Table.Th>
                  <SortHeader field="updatedAt" sort={sort} onSort={setSort}>{t('fields.updated')}</SortHeader>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((c) => (
                  <Table.Tr key={c.id} data-testid="company-row" data-name={c.name}>
                    <Table.Td><Anchor component={Link} to={`/companies/${c.id}`} fw={500} size="sm" data-testid="company-link">{c.name}</Anchor></Table.Td>
                    <Table.Td><Group gap={4}>{c.domains.map((d) => <Badge key={d} size="xs" variant="outline" tt="none">{d}</Badge>)}</Group></Table.Td>
                    <Table.Td>{c.industry ?? ''}</Table.Td>
                    <Table.Td>{nameOf(c.ownerId)}</Table.Td>
                    <Table.Td><Text size="xs" c="dimmed">{formatDate(c.updatedAt, i18n.language)}</Text></Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" width={160}>
                        <Menu.Target><ActionIcon variant="subtle" color="gray" aria-label={t('actions.menuFor', { name: c.name })}><IconDots size={16} /></ActionIcon></Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => { setEditing(c); setFormOpen(true); }}>{t('actions.edit')}</Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(c)}>{t('actions.delete')}</Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId="companies-load-more" />
      </Paper>
      <CompanyFormModal
        opened={formOpen}
        company={editing}
        onClose={() => setFormOpen(false)}
        onSaved={(company, created) => {
          setFormOpen(false);
          list.setItems((prev) => (created ? [company, ...(prev ?? [])] : (prev ?? []).map((c) => (c.id === company.id ? company : c))));
          notifications.show({ color: 'teal', message: created ? t('companies.created', { name: company.name }) : t('saved') });
        }}
      />
      <ConfirmModal
        opened={deleting !== null}
        title={t('companies.deleteTitle', { name: deletingShown?.name ?? '' })}
        body={t('companies.deleteBody')}
        confirmLabel={t('actions.delete')}
        onConfirm={async () => {
          if (!deleting) return;
          await crmApi.deleteCompany(deleting.id);
          list.setItems((prev) => (prev ?? []).filter((c) => c.id !== deleting.id));
        }}
        onClose={() => setDeleting(null)}
        testId="company-delete-modal"
      />
      <CsvImportModal
        kind="companies"
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
