import { Alert, Badge, FileInput, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconCheck, IconFileTypeCsv } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { COMPANIES_IMPORT, CONTACTS_IMPORT, type CsvImportKind } from './csv-import-kinds.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { FormFooter } from '../../components/form-footer.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { useCrmT } from './text.ts';
import type { ImportResultOf } from './types.ts';

interface Props {
  opened: boolean;
  onClose(): void;
  /** After a successful import; the modal has already said what was imported. */
  onImported(): void;
}

/** The CSV import of contacts (the default) or companies: same steps, each kind's own columns and words. */
export function CsvImportModal({ kind = 'contacts', ...props }: Props & { kind?: 'contacts' | 'companies' }) {
  return kind === 'companies' ? <ImportModal spec={COMPANIES_IMPORT} {...props} /> : <ImportModal spec={CONTACTS_IMPORT} {...props} />;
}

/** Pick a file → dry run → preview and per-row errors → import (only when no row has an error). */
function ImportModal<R, Result extends ImportResultOf<R>>({
  spec,
  opened,
  onClose,
  onImported,
}: Props & { spec: CsvImportKind<R, Result> }) {
  const { t } = useCrmT();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Result | null>(null);
  const [checking, setChecking] = useState(false);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!opened) {
      setFile(null);
      setPreview(null);
      setError(null);
    }
  }, [opened]);

  async function pick(next: File | null) {
    setFile(next);
    setPreview(null);
    setError(null);
    if (!next) return;
    setChecking(true);
    try {
      setPreview(await spec.run(next, true));
    } catch (err) {
      setError(err);
    } finally {
      setChecking(false);
    }
  }

  async function importNow() {
    if (!file) return;
    setImporting(true);
    setError(null);
    try {
      const result = await spec.run(file, false);
      notifications.show({ color: 'teal', message: t('import.done', { created: result.created, updated: result.updated }) });
      onImported();
    } catch (err) {
      // The server re-checks: a row that went bad since the dry run comes back with the same report.
      const body = err instanceof ApiError ? (err.problem as unknown as Partial<Result>) : null;
      if (body?.preview && body.errors) setPreview(body as Result);
      setError(err);
    } finally {
      setImporting(false);
    }
  }

  const errors = preview?.errors ?? [];
  const columns = spec.columns(t);
  const missingColumn = error instanceof ApiError && error.code === 'csv_missing_column';

  return (
    <Modal opened={opened} onClose={onClose} title={spec.title(t)} size="xl" data-testid="csv-import">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {spec.help(t)}
        </Text>
        <FileInput
          label={t('import.file')}
          placeholder={t('import.pick')}
          accept=".csv,text/csv"
          value={file}
          onChange={(f) => void pick(f)}
          leftSection={<IconFileTypeCsv size={16} />}
          clearable
          data-testid="csv-import-file"
        />
        {missingColumn ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={18} />}
            title={spec.missingColumn(t)}
            data-testid="csv-import-error"
            data-code="csv_missing_column"
          />
        ) : (
          <CrmErrorAlert error={error} testId="csv-import-error" />
        )}
        {checking ? (
          <Text size="sm" c="dimmed">
            {t('import.checking')}
          </Text>
        ) : null}
        {preview ? (
          <>
            {errors.length ? (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title={t('import.hasErrors', { count: errors.length })}
                data-testid="csv-import-has-errors"
              >
                <DataTable
                  columns={[t('import.row'), t('import.column'), t('import.message')]}
                  withTableBorder={false}
                  testId="csv-import-errors"
                >
                  {errors.map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a row can have several errors, and errors do not change order
                    <Table.Tr key={i} data-testid="csv-import-error-row" data-row={e.row} data-code={e.code}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.column ?? '—'}</Table.Td>
                      <Table.Td>{spec.rowError(t, e.code) ?? e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </DataTable>
              </Alert>
            ) : (
              <Alert
                color="teal"
                variant="light"
                icon={<IconCheck size={18} />}
                title={t('import.ready', { created: preview.created, updated: preview.updated })}
                data-testid="csv-import-ready"
              >
                {spec.readyNote?.(t, preview) ?? null}
              </Alert>
            )}
            {preview.ignoredColumns.length ? (
              <Text size="xs" c="dimmed">
                {t('import.ignored', { columns: preview.ignoredColumns.join(', ') })}
              </Text>
            ) : null}
            <ScrollArea.Autosize mah={300}>
              <Table striped withTableBorder data-testid="csv-import-preview" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.row')}</Table.Th>
                    <Table.Th>{t('import.action')}</Table.Th>
                    {columns.map((c) => (
                      <Table.Th key={c.label}>{c.label}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.preview.map((r) => (
                    <Table.Tr key={r.row} data-testid="csv-import-preview-row">
                      <Table.Td>{r.row}</Table.Td>
                      <Table.Td>
                        <Badge size="xs" variant="light" color={r.action === 'error' ? 'red' : r.action === 'update' ? 'blue' : 'teal'}>
                          {t(`import.actions.${r.action}`)}
                        </Badge>
                      </Table.Td>
                      {columns.map((c) => (
                        <Table.Td key={c.label}>{c.cell(r)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </>
        ) : null}
        <FormFooter
          onCancel={onClose}
          cancelLabel={t('actions.cancel')}
          onSubmit={() => void importNow()}
          busy={importing}
          disabled={!preview || errors.length > 0 || checking}
          submitLabel={t('import.submit')}
          submitTestId="csv-import-submit"
        />
      </Stack>
    </Modal>
  );
}
