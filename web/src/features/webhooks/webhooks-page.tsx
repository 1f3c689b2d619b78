import { Badge, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconList, IconSend, IconTrash, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useListQuery } from '../../api/use-list-query.ts';
import { AdminOnly } from '../../components/admin-only.tsx';
import { ConfirmItemModal } from '../../components/confirm-modal.tsx';
import { useItemDialog } from '../../components/use-item-dialog.ts';
import { RowButton, RowDangerButton } from '../../components/data-table.tsx';
import { ListPage } from '../../components/list-card.tsx';
import { type Webhook, webhooksApi } from './api.ts';
import { DeliveriesModal } from './deliveries-modal.tsx';
import { WebhookFormModal, WebhookSecretModal } from './webhook-form-modal.tsx';

/** Settings › Webhooks: the admins' list of webhooks, adding one, its delivery log, test events. */
export function WebhooksPage() {
  const { t } = useTranslation('webhooks');
  return (
    <AdminOnly
      title={t('title')}
      subtitle={t('subtitle')}
      denied={{ title: t('deniedTitle'), body: t('deniedBody'), testId: 'webhooks-denied' }}
    >
      {() => <Webhooks />}
    </AdminOnly>
  );
}

function Webhooks() {
  const { t } = useTranslation('webhooks');
  const list = useListQuery<Webhook>(['webhooks'], webhooksApi.list);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);
  const rotating = useItemDialog<Webhook>();
  const deleting = useItemDialog<Webhook>();
  const [actionError, setActionError] = useState<unknown>(null);

  const act = async (work: () => Promise<void>) => {
    setActionError(null);
    try {
      await work();
    } catch (err) {
      setActionError(err);
    }
  };
  const toggle = (w: Webhook) =>
    act(async () => {
      list.upsert(await webhooksApi.change(w.id, { active: !w.active }));
    });
  const test = (w: Webhook) =>
    act(async () => {
      await webhooksApi.test(w.id);
      notifications.show({ color: 'gray', message: t('testQueued') });
    });

  const status = (w: Webhook) =>
    w.active ? (
      <Badge color="green" variant="light">
        {t('status.on')}
      </Badge>
    ) : (
      <Badge color="gray" variant="light" title={w.disabledReason === 'gone' ? t('status.gone') : undefined}>
        {w.disabledReason === 'gone' ? t('status.gone') : t('status.off')}
      </Badge>
    );

  const row = (w: Webhook) => (
    <Table.Tr key={w.id} data-testid="webhooks-row">
      <Table.Td style={{ wordBreak: 'break-all' }} fw={500}>
        {w.url}
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={w.events.map((e) => t(`event.${e}` as 'event.task.due')).join(', ')}>
          {t('eventCount', { count: w.events.length })}
        </Text>
      </Table.Td>
      <Table.Td data-testid="webhooks-status">{status(w)}</Table.Td>
      <Table.Td ta="right">
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <RowButton icon={IconList} onClick={() => setLogOf(w)} testId="webhooks-log">
            {t('deliveriesButton')}
          </RowButton>
          <RowButton icon={IconSend} disabled={!w.active} onClick={() => void test(w)} testId="webhooks-test">
            {t('sendTest')}
          </RowButton>
          <RowButton onClick={() => void toggle(w)} testId="webhooks-toggle">
            {w.active ? t('switchOff') : t('switchOn')}
          </RowButton>
          <RowButton icon={IconKey} onClick={() => rotating.open(w)} testId="webhooks-rotate">
            {t('rotate')}
          </RowButton>
          <RowDangerButton icon={IconTrash} onClick={() => deleting.open(w)} testId="webhooks-delete">
            {t('delete')}
          </RowDangerButton>
        </Group>
      </Table.Td>
    </Table.Tr>
  );

  return (
    <>
      <ListPage
        title={t('title')}
        subtitle={t('subtitle')}
        create={{ label: t('create'), onClick: () => setCreating(true) }}
        list={list}
        actionError={actionError}
        empty={{ icon: IconWebhook, title: t('emptyTitle'), description: t('emptyBody') }}
        testId="webhooks"
        row={row}
        minWidth={900}
        columns={[t('columns.url'), t('columns.events'), t('columns.status')]}
        actions={{ label: t('columns.status'), width: 520 }}
      />
      <WebhookFormModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(webhook, value) => {
          list.upsert(webhook);
          setCreating(false);
          setSecret(value);
        }}
      />
      <WebhookSecretModal secret={secret} onClose={() => setSecret(null)} />
      <DeliveriesModal webhook={logOf} onClose={() => setLogOf(null)} />
      <ConfirmItemModal
        dialog={rotating}
        title={() => t('rotateTitle')}
        body={t('rotateBody')}
        confirmLabel={t('rotate')}
        onConfirm={async (w) => {
          const { webhook, secret: value } = await webhooksApi.rotateSecret(w.id);
          list.upsert(webhook);
          rotating.close();
          setSecret(value);
        }}
        testId="webhooks-rotate-modal"
      />
      <ConfirmItemModal
        dialog={deleting}
        title={(w) => t('deleteTitle', { url: w.url })}
        body={t('deleteBody')}
        confirmLabel={t('delete')}
        onConfirm={async (w) => {
          await webhooksApi.remove(w.id);
          list.remove(w.id);
          notifications.show({ color: 'gray', message: t('deleted') });
        }}
        testId="webhooks-delete-modal"
      />
    </>
  );
}
