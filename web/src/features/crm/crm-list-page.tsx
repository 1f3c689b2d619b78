import { Button, Paper, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconSearch, IconUpload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { type Page, prepended, replaced, withoutId, useKeysetQuery } from '../../api/use-keyset-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { CreateButton, PageHeader } from '../../components/page-header.tsx';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import type { ListParams } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { CsvImportModal } from './csv-import-modal.tsx';
import { LoadMore } from './load-more.tsx';
import { useCrmT } from './text.ts';
import { usePeople } from './use-people.ts';
import { LoadingBlock } from '../../components/data-table.tsx';

interface Named {
  id: string;
  name: string;
}

export interface RowActions<T> {
  onEdit(record: T): void;
  onDelete(record: T): void;
}

export interface RecordFormProps<T> {
  opened: boolean;
  record: T | null;
  onClose(): void;
  onSaved(record: T, created: boolean): void;
}

interface CrmListPageProps<T extends Named> {
  /** Names the words (`contacts.title`, …), the test ids (`contacts-…`) and the CSV import. */
  kind: 'contacts' | 'companies';
  /** The singular for test ids: `contact-delete-modal`. */
  one: 'contact' | 'company';
  exportUrl: string;
  list: ReturnType<typeof useKeysetQuery<T>>;
  filters: ReactNode;
  filtered: boolean;
  table(items: T[], actions: RowActions<T>): ReactNode;
  form(props: RecordFormProps<T>): ReactNode;
  remove(id: string): Promise<unknown>;
}

/** A CRM list page: export, import and create, filters, the table with "load more", and its dialogs. */
export function CrmListPage<T extends Named>({ kind, one, exportUrl, list, filters, filtered, table, form, remove }: CrmListPageProps<T>) {
  const { t } = useCrmT();
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<T | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const deletingShown = useLastNonNull(deleting);
  const edit = (record: T | null) => {
    setEditing(record);
    setFormOpen(true);
  };

  return (
    <>
      <PageHeader
        title={t(`${kind}.title`)}
        subtitle={t(`${kind}.subtitle`)}
        actions={
          <>
            <Button
              variant="default"
              component="a"
              href={exportUrl}
              download
              leftSection={<IconDownload size={16} />}
              data-testid={`${kind}-export`}
            >
              {t('actions.export')}
            </Button>
            <Button
              variant="default"
              leftSection={<IconUpload size={16} />}
              onClick={() => setImportOpen(true)}
              data-testid={`${kind}-import`}
            >
              {t('actions.import')}
            </Button>
            <CreateButton label={t(`${kind}.create`)} onClick={() => edit(null)} testId={`${kind}-create`} />
          </>
        }
      />
      {filters}
      <CrmErrorAlert error={list.error} testId={`${kind}-error`} />
      <ListBody
        list={list}
        kind={kind}
        mt={list.error ? 'sm' : 0}
        empty={filtered ? t(`${kind}.noMatch`) : t(`${kind}.empty`)}
        emptyTestId={`${kind}-empty`}
      >
        {(items) => table(items, { onEdit: edit, onDelete: setDeleting })}
      </ListBody>
      {form({
        opened: formOpen,
        record: editing,
        onClose: () => setFormOpen(false),
        onSaved: (record, created) => {
          setFormOpen(false);
          list.setItems(created ? prepended(record) : replaced(record));
          notifications.show({ color: 'teal', message: created ? t(`${kind}.created`, { name: record.name }) : t('saved') });
        },
      })}
      <ConfirmModal
        opened={deleting !== null}
        title={t(`${kind}.deleteTitle`, { name: deletingShown?.name ?? '' })}
        body={t(`${kind}.deleteBody`)}
        confirmLabel={t('actions.delete')}
        onConfirm={async () => {
          if (!deleting) return;
          await remove(deleting.id);
          list.setItems(withoutId(deleting.id));
        }}
        onClose={() => setDeleting(null)}
        testId={`${one}-delete-modal`}
      />
      <CsvImportModal
        kind={kind}
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

/** A list's rows in a card: a spinner until the first page, the words for no rows, and "load more" (`<kind>-load-more`). */
export function ListBody<T>({
  list,
  kind,
  mt,
  empty,
  emptyTestId,
  children,
}: {
  list: ReturnType<typeof useKeysetQuery<T>>;
  kind: string;
  mt?: 'sm' | 0;
  empty: string;
  emptyTestId?: string;
  children(items: T[]): ReactNode;
}) {
  return (
    <Paper withBorder mt={mt}>
      {list.items === null ? (
        <LoadingBlock />
      ) : list.items.length === 0 ? (
        <Text c="dimmed" ta="center" p="xl" size="sm" data-testid={emptyTestId}>
          {empty}
        </Text>
      ) : (
        children(list.items)
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId={`${kind}-load-more`} />
    </Paper>
  );
}

/**
 * A CRM list's search text, sort and pages: the first 50 records for each search, `filters` and sort, then
 * "load more". `q` is the settled search, for telling whether anything narrows the list.
 */
export function useRecordList<T>(
  kind: 'companies' | 'contacts' | 'deals',
  fetchPage: (params: ListParams) => Promise<Page<T>>,
  { defaultSort, filters }: { defaultSort: string; filters: ListParams },
) {
  const { search, setSearch, q } = useSearchText();
  const [sort, setSort] = useState(defaultSort);
  const params = { q, ...filters, sort, limit: 50 };
  const list = useKeysetQuery([kind, params], (cursor) => fetchPage({ ...params, cursor }));
  return { search, setSearch, q, sort, setSort, list };
}

/** What is typed into a list's search box, and the same trimmed and settled for a quarter second (what the query uses). */
export function useSearchText() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  return { search, setSearch, q };
}

/** The search box over a list (`<kind>-search`). */
export function SearchFilter({
  kind,
  value,
  onChange,
}: {
  kind: 'companies' | 'contacts' | 'deals';
  value: string;
  onChange(v: string): void;
}) {
  const { t } = useCrmT();
  return (
    <TextInput
      leftSection={<IconSearch size={16} />}
      placeholder={t(`${kind}.searchPlaceholder`)}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      w={260}
      aria-label={t('actions.search')}
      data-testid={`${kind}-search`}
    />
  );
}

/** Narrows a list to one owner's records. */
export function OwnerFilter({ value, onChange, testId }: { value: string | null; onChange(v: string | null): void; testId?: string }) {
  const { t } = useCrmT();
  const { people } = usePeople();
  return (
    <Select
      placeholder={t('filters.owner')}
      data={people.map((p) => ({ value: p.id, label: p.name }))}
      value={value}
      onChange={onChange}
      clearable
      w={180}
      aria-label={t('filters.owner')}
      data-testid={testId}
    />
  );
}
