import { Anchor, Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import {
  IconKey,
  IconLockOpen,
  IconLogin,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugConnected,
  IconRefresh,
  IconSettings,
  IconTrash,
} from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../components/format.ts';
import { FailureExplanation } from './failure-explanation.tsx';
import { SyncSummary } from './sync-summary.tsx';
import { localText, useMailboxesT } from './text.ts';
import type { Mailbox, MailboxStatus, Provider } from './types.ts';
import { DataTable } from '../../components/data-table.tsx';
import { RowActionsMenu } from '../../components/row-actions-menu.tsx';

export type MailboxAction = 'test' | 'settings' | 'password' | 'signin' | 'pause' | 'resume' | 'sync' | 'unbind';

/** A mailbox bound by signing in whose sign-in stopped working (revoked, expired): only signing in again helps. */
export function needsSignInAgain(mailbox: Pick<Mailbox, 'authKind' | 'status'>): boolean {
  return mailbox.authKind === 'oauth2' && mailbox.status === 'needs_attention';
}

const STATUS_COLOR: Record<MailboxStatus, string> = { active: 'teal', untested: 'gray', paused: 'yellow', needs_attention: 'red' };

/** The mailbox's status and, when it needs attention, why and what to do in the reader's language. */
export function StatusBadge({ mailbox }: { mailbox: Mailbox }) {
  const { t } = useMailboxesT();
  const badge = (
    <Badge size="sm" variant="dot" color={STATUS_COLOR[mailbox.status]} data-testid="mailbox-status" data-status={mailbox.status}>
      {t(`status.${mailbox.status}`)}
    </Badge>
  );
  return mailbox.attention ? (
    <Stack gap={2} maw={320}>
      {badge}
      <FailureExplanation failure={mailbox.attention} testId="mailbox-attention" />
    </Stack>
  ) : (
    badge
  );
}

interface MailboxesTableProps {
  mailboxes: Mailbox[];
  providers: Provider[];
  onAction(mailbox: Mailbox, action: MailboxAction): void;
}

/** The bound mailboxes: who owns each, how it connects, how healthy it is, and what can be done. */
export function MailboxesTable({ mailboxes, providers, onAction }: MailboxesTableProps) {
  const { t, i18n } = useMailboxesT();
  const providerName = (id: string) => localText(providers.find((p) => p.id === id)?.name, i18n.language) || id;

  const rows = mailboxes.map((m) => (
    <Table.Tr key={m.id} data-testid="mailbox-row" data-email={m.email}>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {m.displayName || m.email}
          </Text>
          {m.displayName ? (
            <Text size="xs" c="dimmed">
              {m.email}
            </Text>
          ) : null}
          <Group gap={4}>
            {m.dropBox ? (
              <Tooltip label={t('badges.dropBoxHelp')}>
                <Badge size="xs" color="grape" variant="light" data-testid="mailbox-drop-box">
                  {t('badges.dropBox')}
                </Badge>
              </Tooltip>
            ) : null}
            {m.insecure ? (
              <Tooltip label={t('badges.insecureHelp')}>
                <Badge size="xs" color="red" variant="filled" leftSection={<IconLockOpen size={10} />} data-testid="mailbox-insecure">
                  {t('badges.insecure')}
                </Badge>
              </Tooltip>
            ) : null}
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{m.owner.name ?? '—'}</Text>
        <Text size="xs" c="dimmed">
          {m.owner.email}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{providerName(m.providerId)}</Text>
        <Text size="xs" c="dimmed" data-testid="mailbox-protocol" data-protocol={m.protocol}>
          {t(`protocols.${m.protocol}`)} · {m.imap.host}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <StatusBadge mailbox={m} />
          {m.status === 'paused' ? null : <SyncSummary mailboxId={m.id} withFailure={m.status !== 'needs_attention'} />}
          <Anchor component={Link} to={`/settings/mailboxes/${m.id}`} size="xs" data-testid="mailbox-sync-details">
            {t('syncView.details')}
          </Anchor>
          {needsSignInAgain(m) ? (
            <Button
              size="compact-xs"
              variant="light"
              color="red"
              leftSection={<IconLogin size={12} />}
              onClick={() => onAction(m, 'signin')}
              data-testid="mailbox-row-signin-again"
            >
              {t('actions.changeCredential.oauth2')}
            </Button>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        {m.lastTest ? (
          <Group gap={6} wrap="nowrap">
            <Badge size="xs" variant="light" color={m.lastTest.ok ? 'teal' : 'red'} data-testid="mailbox-last-test">
              {m.lastTest.ok ? t('test.ok') : t('test.failed')}
            </Badge>
            <Text size="xs" c="dimmed">
              {formatDateTime(m.lastTest.at, i18n.language, '')}
            </Text>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {t('table.neverTested')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {m.authKind === 'oauth2' ? (
          <Badge size="xs" color="teal" variant="light" data-testid="mailbox-signed-in">
            {t('badges.signedIn')}
          </Badge>
        ) : m.credential.set ? (
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{t('badges.ageDays', { count: m.credential.ageDays ?? 0 })}</Text>
            {m.credential.stale ? (
              <Tooltip label={t('badges.staleHelp')}>
                <Badge size="xs" color="orange" variant="light" data-testid="mailbox-stale">
                  {t('badges.stale')}
                </Badge>
              </Tooltip>
            ) : null}
          </Group>
        ) : (
          <Badge size="xs" color="red" variant="light">
            {t('badges.noCredential')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td ta="right">
        <RowActionsMenu
          label={t('actions.menu', { email: m.email })}
          width={200}
          testId="mailbox-row-menu"
          items={[
            { icon: IconPlugConnected, label: t('actions.test'), onClick: () => onAction(m, 'test'), testId: 'mailbox-test' },
            { icon: IconSettings, label: t('actions.settings'), onClick: () => onAction(m, 'settings'), testId: 'mailbox-settings' },
            m.authKind === 'oauth2'
              ? {
                  icon: IconLogin,
                  label: t('actions.changeCredential.oauth2'),
                  onClick: () => onAction(m, 'signin'),
                  testId: 'mailbox-signin-again',
                }
              : {
                  icon: IconKey,
                  label: t(`actions.changeCredential.${m.authKind}`),
                  onClick: () => onAction(m, 'password'),
                  testId: 'mailbox-password',
                },
            {
              icon: IconRefresh,
              label: t('actions.sync'),
              onClick: () => onAction(m, 'sync'),
              disabled: m.status === 'paused',
              testId: 'mailbox-sync',
            },
            m.status === 'paused'
              ? { icon: IconPlayerPlay, label: t('actions.resume'), onClick: () => onAction(m, 'resume'), testId: 'mailbox-resume' }
              : { icon: IconPlayerPause, label: t('actions.pause'), onClick: () => onAction(m, 'pause'), testId: 'mailbox-pause' },
            {
              icon: IconTrash,
              label: t('actions.unbind'),
              onClick: () => onAction(m, 'unbind'),
              testId: 'mailbox-unbind',
              color: 'red',
              divider: true,
            },
          ]}
        />
      </Table.Td>
    </Table.Tr>
  ));

  return (
    <DataTable
      columns={[t('table.address'), t('table.owner'), t('table.provider'), t('table.status'), t('table.lastTest'), t('table.credential')]}
      actions={{ label: t('table.actions'), width: 48 }}
      minWidth={860}
      verticalSpacing="sm"
      testId="mailboxes-table"
    >
      {rows}
    </DataTable>
  );
}
