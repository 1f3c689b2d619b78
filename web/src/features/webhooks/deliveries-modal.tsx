import { Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh, IconRepeat } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { prepended, useKeysetQuery } from '../../api/use-keyset-query.ts';
import { DataTable, LoadingBlock, RowButton } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { type Webhook, type WebhookDelivery, webhooksApi } from './api.ts';
import { RecordModal } from '../../components/record-modal.tsx';

const STATE_COLOR: Record<WebhookDelivery['state'], string> = { pending: 'yellow', delivering: 'blue', delivered: 'green', failed: 'red' };

/** A webhook's delivery log, newest first, with replay of one delivery. */
export function DeliveriesModal({ webhook, onClose }: { webhook: Webhook | null; onClose(): void }) {
  const { t } = useTranslation('webhooks');
  return (
    <RecordModal record={webhook} onClose={onClose} title={(w) => t('log.title', { url: w.url })} size="80rem" testId="webhook-log-modal">
      {(w) => <DeliveryLog webhook={w} />}
    </RecordModal>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t, i18n } = useTranslation('webhooks');
  const log = useKeysetQuery<WebhookDelivery>(
    ['webhooks', webhook.id, 'deliveries'],
    (cursor) => webhooksApi.deliveries(webhook.id, cursor),
    {
      keepPrevious: false,
    },
  );
  const when = (value: string | null) => formatDateTime(value, i18n.language, '');

  const replay = async (delivery: WebhookDelivery) => {
    const again = await webhooksApi.replay(webhook.id, delivery.id);
    log.setItems(prepended(again));
    notifications.show({ color: 'gray', message: t('log.replayed') });
  };

  const row = (d: WebhookDelivery) => (
    <Table.Tr key={d.id} data-testid="webhook-delivery-row">
      <Table.Td>{when(d.createdAt)}</Table.Td>
      <Table.Td>
        <Text size="sm">{t(`event.${d.eventType}` as 'event.task.due', { defaultValue: d.eventType })}</Text>
        <Code>{d.eventType}</Code>
      </Table.Td>
      <Table.Td>
        <Badge color={STATE_COLOR[d.state]} variant="light" data-testid="webhook-delivery-state">
          {t(`state.${d.state}`)}
        </Badge>
        {d.nextAttemptAt ? (
          <Text size="xs" c="dimmed">
            {t('log.next', { when: when(d.nextAttemptAt) })}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{d.attempts}</Table.Td>
      <Table.Td>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '')}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {d.state === 'delivered' || d.state === 'failed' ? (
          <RowButton icon={IconRepeat} onClick={() => void replay(d)} testId="webhook-replay">
            {t('log.replay')}
          </RowButton>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );

  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconRefresh size={14} />}
          onClick={() => void log.reload()}
          data-testid="webhook-log-refresh"
        >
          {t('log.refresh')}
        </Button>
      </Group>
      <ErrorAlert error={log.error} testId="webhook-log-error" />
      {log.items === null ? (
        log.error ? null : (
          <LoadingBlock />
        )
      ) : log.items.length === 0 ? (
        <Text c="dimmed" data-testid="webhook-log-empty">
          {t('log.empty')}
        </Text>
      ) : (
        <DataTable
          columns={[t('log.when'), t('log.event'), t('log.state'), t('log.attempts'), t('log.answer')]}
          actions={{ label: t('log.replay'), width: 110 }}
          minWidth={760}
          testId="webhook-log-table"
        >
          {log.items.map(row)}
        </DataTable>
      )}
      {log.hasMore ? (
        <Button variant="default" onClick={() => void log.loadMore()} loading={log.loadingMore} data-testid="webhook-log-more">
          {t('log.more')}
        </Button>
      ) : null}
    </Stack>
  );
}
