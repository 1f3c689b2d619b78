import { Button, Group, Loader, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPlus, IconUpload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { useKeysetQuery } from '../../api/use-keyset-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { CsvImportModal } from './csv-import-modal.tsx';
import { LoadMore } from './load-more.tsx';
import { useCrmT } from './text.ts';

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
            <Button leftSection={<IconPlus size={16} />} onClick={() => edit(null)} data-testid={`${kind}-create`}>
              {t(`${kind}.create`)}
            </Button>
          </>
        }
      />
      {filters}
      <CrmErrorAlert error={list.error} testId={`${kind}-error`} />
      <Paper withBorder mt={list.error ? 'sm' : 0}>
        {list.items === null ? (
          <Group justify="center" p="xl">
            <Loader size="sm" />
          </Group>
        ) : list.items.length === 0 ? (
          <Text c="dimmed" ta="center" p="xl" size="sm" data-testid={`${kind}-empty`}>
            {filtered ? t(`${kind}.noMatch`) : t(`${kind}.empty`)}
          </Text>
        ) : (
          table(list.items, { onEdit: edit, onDelete: setDeleting })
        )}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId={`${kind}-load-more`} />
      </Paper>
      {form({
        opened: formOpen,
        record: editing,
        onClose: () => setFormOpen(false),
        onSaved: (record, created) => {
          setFormOpen(false);
          list.setItems((prev) => (created ? [record, ...(prev ?? [])] : (prev ?? []).map((r) => (r.id === record.id ? record : r))));
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
          list.setItems((prev) => (prev ?? []).filter((r) => r.id !== deleting.id));
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
