import { Code, Table } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tokensApi } from '../../api/endpoints.ts';
import { useListQuery } from '../../api/use-list-query.ts';
import type { ApiToken } from '../../api/types.ts';
import { ListPage } from '../../components/list-card.tsx';
import { ConfirmItemModal } from '../../components/confirm-modal.tsx';
import { useItemDialog } from '../../components/use-item-dialog.ts';
import { RowDangerButton } from '../../components/data-table.tsx';
import { formatDateTime } from '../../components/format.ts';
import { CreateTokenModal } from './create-token-modal.tsx';

export function TokensPage() {
  const { t, i18n } = useTranslation();
  const list = useListQuery<ApiToken>(['tokens'], tokensApi.list);
  const [creating, setCreating] = useState(false);
  const revoking = useItemDialog<ApiToken>();

  const when = (value: string | null) => formatDateTime(value, i18n.language, t('common.never'));
  const expired = (token: ApiToken) => token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now();

  const row = (token: ApiToken) => (
    <Table.Tr key={token.id} data-testid="tokens-row">
      <Table.Td fw={500}>{token.name}</Table.Td>
      <Table.Td>
        <Code>{token.prefix}…</Code>
      </Table.Td>
      <Table.Td c="dimmed">{when(token.createdAt)}</Table.Td>
      <Table.Td c="dimmed">{when(token.lastUsedAt)}</Table.Td>
      <Table.Td data-testid="tokens-scope">{token.scope === 'read' ? t('tokens.scopeRead') : t('tokens.scopeFull')}</Table.Td>
      <Table.Td c={expired(token) ? 'red' : 'dimmed'} data-testid="tokens-expiry">
        {expired(token) ? t('tokens.expired') : when(token.expiresAt)}
      </Table.Td>
      <Table.Td ta="right">
        <RowDangerButton icon={IconTrash} onClick={() => revoking.open(token)} testId="tokens-revoke">
          {t('tokens.revoke')}
        </RowDangerButton>
      </Table.Td>
    </Table.Tr>
  );

  return (
    <>
      <ListPage
        title={t('tokens.title')}
        subtitle={t('tokens.subtitle')}
        create={{ label: t('tokens.create'), onClick: () => setCreating(true) }}
        list={list}
        empty={{ icon: IconKey, title: t('tokens.emptyTitle'), description: t('tokens.emptyBody') }}
        testId="tokens"
        row={row}
        minWidth={760}
        columns={[t('tokens.name'), t('tokens.prefix'), t('tokens.createdAt'), t('tokens.lastUsed'), t('tokens.scope'), t('tokens.expiry')]}
        actions={{ label: t('common.actions'), width: 100 }}
      />
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} onCreated={(token) => list.upsert(token, { prepend: true })} />
      <ConfirmItemModal
        dialog={revoking}
        title={(token) => t('tokens.revokeTitle', { name: token.name })}
        body={t('tokens.revokeBody')}
        confirmLabel={t('tokens.revoke')}
        onConfirm={async (token) => {
          await tokensApi.revoke(token.id);
          list.remove(token.id);
          notifications.show({ color: 'gray', message: t('tokens.revoked') });
        }}
        testId="tokens-revoke-modal"
      />
    </>
  );
}
