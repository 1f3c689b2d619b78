import { Alert, Badge, Button, Code, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconMailForward } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/problem-text.ts';
import { ConfirmItemModal } from '../components/confirm-modal.tsx';
import { useItemDialog } from '../components/use-item-dialog.ts';
import { LoadingBlock } from '../components/data-table.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/page-header.tsx';
import { composeApi } from '../features/compose/api.ts';
import { formatAddress } from '../features/compose/addresses.ts';
import { useCompose } from '../features/compose/compose-context.tsx';
import { useComposeT } from '../features/compose/text.ts';
import type { OutboxItem, OutboxState } from '../features/compose/types.ts';
import { useOutboxEvents } from '../features/compose/use-outbox-events.ts';

const STATES: OutboxState[] = ['draft', 'queued', 'sending', 'failed', 'sent'];
const COLOR: Record<OutboxState, string> = {
  draft: 'gray',
  queued: 'blue',
  sending: 'cyan',
  failed: 'red',
  sent: 'teal',
  cancelled: 'gray',
};

/** 发件箱: drafts, scheduled, sending, failed and sent rows of the user, kept current by `outbox.updated`. */
export function OutboxPage() {
  const { t } = useComposeT();
  const [state, setState] = useState<OutboxState>('draft');
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: ['outbox', state],
    queryFn: ({ pageParam }) => composeApi.list(state, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const deleting = useItemDialog<OutboxItem>();
  useOutboxEvents(() => void client.invalidateQueries({ queryKey: ['outbox'] }));
  const items = query.data?.pages.flatMap((p) => p.items) ?? null;

  return (
    <>
      <PageHeader title={t('outbox.title')} subtitle={t('outbox.subtitle')} />
      <SegmentedControl
        mb="md"
        value={state}
        onChange={(v) => setState(v as OutboxState)}
        data={STATES.map((s) => ({ value: s, label: t(`outbox.states.${s}`) }))}
        aria-label={t('outbox.title')}
        data-testid="outbox-states"
      />
      <ErrorAlert error={query.error} testId="outbox-error" />
      {items === null && !query.error ? <LoadingBlock /> : null}
      {items?.length === 0 ? (
        <Paper withBorder p="xl" data-testid="outbox-empty">
          <Group gap="xs" justify="center" c="dimmed">
            <IconMailForward size={20} />
            <Text size="sm">{t('outbox.empty')}</Text>
          </Group>
        </Paper>
      ) : null}
      <Stack gap="xs" data-testid="outbox-list">
        {items?.map((item) => (
          <OutboxRow
            key={item.id}
            item={item}
            onDelete={() => deleting.open(item)}
            onChanged={() => void client.invalidateQueries({ queryKey: ['outbox'] })}
          />
        ))}
      </Stack>
      {query.hasNextPage ? (
        <Group justify="center" mt="sm">
          <Button variant="default" size="xs" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('outbox.loadMore')}
          </Button>
        </Group>
      ) : null}
      <ConfirmItemModal
        dialog={deleting}
        title={() => t('outbox.deleteTitle')}
        body={t('outbox.deleteBody')}
        confirmLabel={t('outbox.delete')}
        onConfirm={async (item) => {
          await composeApi.remove(item.id);
          await client.invalidateQueries({ queryKey: ['outbox'] });
        }}
        testId="outbox-delete-modal"
      />
    </>
  );
}

function OutboxRow({ item, onDelete, onChanged }: { item: OutboxItem; onDelete(): void; onChanged(): void }) {
  const { t, i18n } = useComposeT();
  const { t: tc } = useTranslation();
  const { openCompose } = useCompose();
  const when = (v: string | null) => formatDateTime(v, i18n.language, '');
  const recipients = [...item.to, ...item.cc, ...item.bcc].map(formatAddress).join(', ');
  const sendAgain = () =>
    composeApi
      .send(item.id, {})
      .then(onChanged, (error: unknown) => notifications.show({ color: 'red', message: errorText(tc, error).title }));
  const editable = item.state === 'draft' || item.state === 'failed';
  return (
    <Paper withBorder p="sm" data-testid="outbox-row" data-state={item.state} data-outbox-id={item.id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Badge size="sm" variant="light" color={COLOR[item.state]}>
              {t(`outbox.state.${item.state}`)}
            </Badge>
            <Text size="sm" fw={600} truncate="end" data-testid="outbox-subject">
              {item.subject.trim() || t('outbox.noSubject')}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" truncate="end">
            {item.from.address} → {recipients || t('outbox.noRecipients')}
          </Text>
          <Text size="xs" c="dimmed">
            {item.state === 'queued' && item.sendAt ? t('outbox.sendAt', { at: when(item.sendAt) }) : null}
            {item.state === 'sent' ? t('outbox.sentAt', { at: when(item.sentAt) }) : null}
            {item.state === 'sending' && item.nextAttemptAt
              ? t('outbox.retryAt', { attempts: item.attempts, at: when(item.nextAttemptAt) })
              : null}
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {editable ? (
            <Button size="compact-sm" variant="default" onClick={() => openCompose({ kind: 'draft', item })} data-testid="outbox-edit">
              {t('outbox.edit')}
            </Button>
          ) : null}
          {item.state === 'failed' ? (
            <Button size="compact-sm" variant="light" onClick={() => void sendAgain()} data-testid="outbox-send-again">
              {t('outbox.sendAgain')}
            </Button>
          ) : null}
          {item.state !== 'sent' && item.state !== 'sending' ? (
            <Button size="compact-sm" variant="subtle" color="red" onClick={onDelete} data-testid="outbox-delete">
              {t('outbox.delete')}
            </Button>
          ) : null}
        </Group>
      </Group>
      {item.lastError && item.state !== 'sent' ? (
        <Alert
          mt="xs"
          color={item.state === 'failed' ? 'red' : 'yellow'}
          variant="light"
          icon={<IconAlertCircle size={16} />}
          data-testid="outbox-last-error"
          data-code={item.lastError.code}
        >
          <Text size="sm">{item.lastError.explanation}</Text>
          <Text size="sm" mt={4}>
            <Text span fw={600} size="sm">
              {t('outbox.fix')}:{' '}
            </Text>
            {item.lastError.fix}
          </Text>
          {item.lastError.serverResponse ? (
            <Text size="xs" mt={4}>
              {t('outbox.serverSaid')}: <Code>{item.lastError.serverResponse}</Code>
            </Text>
          ) : null}
        </Alert>
      ) : null}
    </Paper>
  );
}
