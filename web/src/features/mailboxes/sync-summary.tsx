import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { formatDateTime, formatDuration } from '../../components/format.ts';
import { FailureExplanation } from './failure-explanation.tsx';
import { type SyncReport, useSyncReport } from './sync-api.ts';
import { useMailboxesT } from './text.ts';

const STATE_COLOR: Record<SyncReport['state'], string> = {
  idle: 'teal',
  watching: 'teal',
  importing: 'blue',
  syncing: 'blue',
  backoff: 'orange',
  needs_attention: 'red',
  paused: 'yellow',
  stopped: 'gray',
};

/** One bar per folder being imported: done of total, the rate and the time left. */
export function ImportProgress({ report }: { report: SyncReport }) {
  const { t, i18n } = useMailboxesT();
  const moving = report.progress.filter((p) => p.total > 0 && p.done < p.total);
  if (!moving.length || report.state === 'needs_attention' || report.state === 'paused') return null;
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  return (
    <Stack gap={6} w="100%" maw={320}>
      {moving.map((p) => {
        const label = t('syncView.progressLabel', { folder: p.name, done: number.format(p.done), total: number.format(p.total) });
        return (
          <Stack key={p.folderId} gap={2} data-testid="sync-progress" data-folder={p.name} data-done={p.done} data-total={p.total}>
            <Progress.Root size="sm">
              <Progress.Section value={(100 * p.done) / p.total} aria-label={label} />
            </Progress.Root>
            <Text size="xs" c="dimmed">
              {[
                t('syncView.progressValue', { done: number.format(p.done), total: number.format(p.total) }),
                p.ratePerSec ? t('syncView.rate', { rate: number.format(p.ratePerSec) }) : null,
                p.etaSeconds !== null ? t('syncView.eta', { time: formatDuration(p.etaSeconds * 1000, i18n.language) }) : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Stack>
        );
      })}
    </Stack>
  );
}

/** The sync's state, lag and last success in one line. */
export function SyncFacts({ report }: { report: SyncReport }) {
  const { t, i18n } = useMailboxesT();
  const lag =
    report.lagMs === 0
      ? t('syncView.upToDate')
      : report.lagMs !== null
        ? `${t('syncView.lag')} ${formatDuration(report.lagMs, i18n.language)}`
        : null;
  return (
    <Group gap={6} wrap="wrap">
      <Badge size="sm" variant="light" color={STATE_COLOR[report.state]} data-testid="sync-state" data-state={report.state}>
        {t(`syncState.states.${report.state}`)}
      </Badge>
      {lag ? (
        <Text size="xs" c="dimmed" data-testid="sync-lag">
          {lag}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed" data-testid="sync-last-success">
        {t('syncView.lastSuccess')}: {formatDateTime(report.lastSuccessAt, i18n.language, t('syncView.never'))}
      </Text>
    </Group>
  );
}

/**
 * A mailbox's sync at a glance, live: state, lag, last success, a progress bar per import and the last
 * error with its fix, in the reader's language (`withFailure` false where the mailbox's own status
 * already explains why it needs attention).
 */
export function SyncSummary({ mailboxId, withFailure = true }: { mailboxId: string; withFailure?: boolean }) {
  const report = useSyncReport(mailboxId).data;
  if (!report) return null;
  return (
    <Stack gap={4} data-testid="sync-summary">
      <SyncFacts report={report} />
      <ImportProgress report={report} />
      {withFailure && report.lastFailure ? <FailureExplanation failure={report.lastFailure} testId="sync-last-error" /> : null}
    </Stack>
  );
}
