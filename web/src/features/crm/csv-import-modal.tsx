import { Alert, Badge, Button, FileInput, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconFileTypeCsv } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { useCrmT } from './text.ts';
import type { ImportResult, ImportRowError } from './types.ts';

const ROW_CODES = ['required', 'too_long', 'invalid_email', 'duplicate_in_file', 'email_conflict', 'not_owner'] as const;
type RowCode = (typeof ROW_CODES)[number];

/** Pick a file → dry run → preview and per-row errors → import (only when no row has an error). */
export function CsvImportModal({ opened, onClose, onImported }: { opened: boolean; onClose(): void; onImported(result: ImportResult): void }) {
  const { t } = useCrmT();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
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
      setPreview(await crmApi.importContacts(next, true));
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
      const result = await crmApi.importContacts(file, false);
      onImported(result);
    } catch (err) {
      // The server re-checks: a row that went bad since the dry run comes back with the same report.
      const body = err instanceof ApiError ? (err.problem as unknown as Partial<ImportResult>) : null;
      if (body?.preview && body.errors) setPreview(body as ImportResult);
      setError(err);
    } finally {
      setImporting(false);
    }
  }

  const rowError = (e: ImportRowError) => ((ROW_CODES as readonly string[]).includes(e.code) ? t(`import.rowCodes.${e.code as RowCode}`) : e.message);
  const errors = preview?.errors ?? [];

  return (
    <Modal opened={opened} onClose={onClose} title={t('import.title')} size="xl" data-testid="csv-import">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">{t('import.help')}</Text>
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
        <CrmErrorAlert error={error} testId="csv-import-error" />
        {checking ? <Text size="sm" c="dimmed">{t('import.checking')}</Text> : null}
        {preview ? (
          <>
            {errors.length ? (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('import.hasErrors', { count: errors.length })} data-testid="csv-import-has-errors">
                <Table withTableBorder={false} data-testid="csv-import-errors">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('import.row')}</Table.Th>
                      <Table.Th>{t('import.column')}</Table.Th>
                      <Table.Th>{t('import.message')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {errors.map((e, i) => (
                      <Table.Tr key={i} data-testid="csv-import-error-row" data-row={e.row}>
                        <Table.Td>{e.row}</Table.Td>
                        <Table.Td>{e.column ?? '—'}</Table.Td>
                        <Table.Td>{rowError(e)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Alert>
            ) : (
              <Alert color="teal" variant="light" icon={<IconCheck size={18} />} title={t('import.ready', { created: preview.created, updated: preview.updated })} data-testid="csv-import-ready">
                {preview.companiesCreated ? t('import.companiesCreated', { count: preview.companiesCreated }) : null}
              </Alert>
            )}
            {preview.ignoredColumns.length ? (
              <Text size="xs" c="dimmed">{t('import.ignored', { columns: preview.ignoredColumns.join(', ') })}</Text>
            ) : null}
            <ScrollArea.Autosize mah={300}>
              <Table striped withTableBorder data-testid="csv-import-preview" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.row')}</Table.Th>
                    <Table.Th>{t('import.action')}</Table.Th>
                    <Table.Th>{t('fields.name')}</Table.Th>
                    <Table.Th>{t('fields.emails')}</Table.Th>
                    <Table.Th>{t('fields.company')}</Table.Th>
                    <Table.Th>{t('fields.title')}</Table.Th>
                    <Table.Th>{t('fields.tags')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.preview.map((r) => (
                    <Table.Tr key={r.row} data-testid="csv-import-preview-row">
                      <Table.Td>{r.row}</Table.Td>
                      <Table.Td>
                        <Badge size="xs" variant="light" color={r.action === 'error' ? 'red' : r.action === 'update' ? 'blue' : 'teal'}>{t(`import.actions.${r.action}`)}</Badge>
                      </Table.Td>
                      <Table.Td>{r.name}</Table.Td>
                      <Table.Td>{r.emails.join(', ')}</Table.Td>
                      <Table.Td>{r.company ?? ''}</Table.Td>
                      <Table.Td>{r.title ?? ''}</Table.Td>
                      <Table.Td>{r.tags.join(', ')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
          <Button onClick={() => void importNow()} loading={importing} disabled={!preview || errors.length > 0 || checking} data-testid="csv-import-submit">
            {t('import.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
