import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { SectionTitle } from '../../components/section-title.tsx';
import { useRequest } from '../../components/use-request.ts';
import { mailboxesApi } from '../../features/mailboxes/api.ts';
import { FailureExplanation } from '../../features/mailboxes/failure-explanation.tsx';
import { StatusBadge } from '../../features/mailboxes/mailboxes-table.tsx';
import { type SyncReport, useSyncReport } from '../../features/mailboxes/sync-api.ts';
import { ImportProgress, SyncFacts } from '../../features/mailboxes/sync-summary.tsx';
import { localText, useMailboxesT } from '../../features/mailboxes/text.ts';

const FOLDER_COLOR: Record<SyncReport['folders'][number]['state'], string> = {
  importing: 'blue',
  synced: 'teal',
  failed: 'red',
  waiting: 'gray',
};

function cursorText(cursor: SyncReport['folders'][number]['cursor'], saved: string): string {
  if (!cursor) return '—';
  if (cursor.saved === true) return saved;
  return Object.entries(cursor)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}

/** A card of the sync report: its title, then the table, or a quiet line when the report has no rows for it. */
function ReportCard({
  title,
  subtitle,
  empty,
  emptyTestId,
  note,
  children,
}: {
  title: string;
  subtitle?: string;
  /** Shown instead of the table when there are no rows. */
  empty: string | null;
  emptyTestId?: string;
  /** Below the table or the empty line alike. */
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md">
      <SectionTitle title={title} subtitle={subtitle} mb="sm" />
      {empty === null ? (
        children
      ) : (
        <Text size="sm" c="dimmed" data-testid={emptyTestId}>
          {empty}
        </Text>
      )}
      {note}
    </Paper>
  );
}

function FoldersCard({ report }: { report: SyncReport }) {
  const { t, i18n } = useMailboxesT();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <ReportCard title={t('syncView.folders')} empty={report.folders.length === 0 ? t('syncView.noFolders') : null}>
      <DataTable
        columns={[t('syncView.folder'), t('syncView.folderState'), t('syncView.messages'), t('syncView.lastSynced'), t('syncView.cursor')]}
        minWidth={640}
        testId="sync-folders"
      >
        {report.folders.map((f) => (
          <Table.Tr key={f.id} data-testid="sync-folder" data-folder={f.name} data-state={f.state}>
            <Table.Td>{f.name}</Table.Td>
            <Table.Td>
              <Badge size="xs" variant="light" color={FOLDER_COLOR[f.state]}>
                {t(`syncView.folderStates.${f.state}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              {number.format(f.synced)} / {number.format(f.total)}
            </Table.Td>
            <Table.Td>{formatDateTime(f.lastSyncedAt, i18n.language, t('syncView.never'))}</Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace">
                {cursorText(f.cursor, t('syncView.cursorSaved'))}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </ReportCard>
  );
}

function RetriesCard({ report }: { report: SyncReport }) {
  const { t, i18n } = useMailboxesT();
  return (
    <ReportCard
      title={t('syncView.retries')}
      subtitle={t('syncView.retriesHelp')}
      empty={report.retries.length === 0 ? t('syncView.noRetries') : null}
      emptyTestId="sync-no-retries"
      note={
        report.waitingForRetry > report.retries.length ? (
          <Text size="xs" c="dimmed" mt="xs">
            {t('syncState.waitingForRetryValue', { count: report.waitingForRetry })}
          </Text>
        ) : null
      }
    >
      <DataTable
        columns={[t('syncView.folder'), t('syncView.retryMessage'), t('syncView.tries'), t('syncView.nextTry')]}
        testId="sync-retries"
      >
        {report.retries.map((r) => (
          <Table.Tr key={`${r.folder}/${r.remoteId}`}>
            <Table.Td>{r.folder}</Table.Td>
            <Table.Td>{r.remoteId}</Table.Td>
            <Table.Td>{r.tries}</Table.Td>
            <Table.Td>{formatDateTime(r.nextTryAt, i18n.language, '')}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </ReportCard>
  );
}

function ErrorsCard({ report }: { report: SyncReport }) {
  const { t, i18n } = useMailboxesT();
  return (
    <ReportCard
      title={t('syncView.recentErrors')}
      empty={report.recentErrors.length === 0 ? t('syncView.noErrors') : null}
      emptyTestId="sync-no-errors"
    >
      <DataTable columns={[{ label: t('syncView.at'), width: 170 }, t('syncView.whatHappened')]} testId="sync-errors" verticalSpacing="xs">
        {report.recentErrors.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: errors have no id; the list is replaced whole
          <Table.Tr key={i} data-testid="sync-error" data-code={e.code}>
            <Table.Td>
              <Text size="xs">{formatDateTime(e.at, i18n.language, '')}</Text>
              {e.folder ? (
                <Text size="xs" c="dimmed">
                  {e.folder}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{localText(e.message, i18n.language)}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </ReportCard>
  );
}

/** /settings/mailboxes/:id: one mailbox's sync, live: state, imports, folders and cursors, retry list, recent errors, Sync now. */
export function MailboxSyncPage() {
  const { id = '' } = useParams();
  const { t } = useMailboxesT();
  const mailbox = useQuery({ queryKey: ['mailboxes', id], queryFn: async () => (await mailboxesApi.get(id)).mailbox });
  const report = useSyncReport(id);
  const sync = useRequest();

  const syncNow = () =>
    sync.run(async () => {
      await mailboxesApi.syncNow(id);
      notifications.show({ color: 'teal', message: t('syncView.syncRequested', { email: mailbox.data?.email ?? '' }) });
      await Promise.all([report.refetch(), mailbox.refetch()]);
    });

  const m = mailbox.data;
  const r = report.data;
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/settings/mailboxes" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('syncView.back')}
        </Group>
      </Anchor>
      <PageHeader
        title={m ? t('syncView.detailsOf', { email: m.email }) : t('syncView.details')}
        actions={
          <Button
            leftSection={<IconRefresh size={16} />}
            onClick={() => void syncNow()}
            loading={sync.busy}
            disabled={!m || m.status === 'paused'}
            data-testid="sync-now"
          >
            {t('syncView.syncNow')}
          </Button>
        }
      />
      <ErrorAlert error={mailbox.error ?? report.error ?? sync.error} testId="sync-page-error" />
      {!m || !r ? (
        mailbox.error || report.error ? null : (
          <Group justify="center" p="xl">
            <Loader size="sm" />
          </Group>
        )
      ) : (
        <>
          <Paper withBorder p="md" data-testid="sync-page-summary">
            <Stack gap="xs">
              <StatusBadge mailbox={m} />
              <SyncFacts report={r} />
              <ImportProgress report={r} />
              {r.lastFailure && !m.attention ? <FailureExplanation failure={r.lastFailure} testId="sync-last-error" /> : null}
              <Text size="xs" c="dimmed">
                {r.holder === 'other' ? t('syncView.holderOther') : t('syncView.counters', r.counters)}
              </Text>
            </Stack>
          </Paper>
          <FoldersCard report={r} />
          <RetriesCard report={r} />
          <ErrorsCard report={r} />
        </>
      )}
    </Stack>
  );
}
