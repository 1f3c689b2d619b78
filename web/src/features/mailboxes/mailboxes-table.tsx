import { ActionIcon, Anchor, Badge, Button, Group, Menu, Stack, Table, Text, Tooltip } from '@mantine/core';
import {
  IconDots,
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
        <Menu position="bottom-end" width={200}>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={t('actions.menu', { email: m.email })} data-testid="mailbox-row-menu">
              <IconDots size={16} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPlugConnected size={14} />} onClick={() => onAction(m, 'test')} data-testid="mailbox-test">
              {t('actions.test')}
            </Menu.Item>
            <Menu.Item leftSection={<IconSettings size={14} />} onClick={() => onAction(m, 'settings')} data-testid="mailbox-settings">
              {t('actions.settings')}
            </Menu.Item>
            {m.authKind === 'oauth2' ? (
              <Menu.Item leftSection={<IconLogin size={14} />} onClick={() => onAction(m, 'signin')} data-testid="mailbox-signin-again">
                {t('actions.changeCredential.oauth2')}
              </Menu.Item>
            ) : (
              <Menu.Item leftSection={<IconKey size={14} />} onClick={() => onAction(m, 'password')} data-testid="mailbox-password">
                {t(`actions.changeCredential.${m.authKind}`)}
              </Menu.Item>
            )}
            <Menu.Item
              leftSection={<IconRefresh size={14} />}
              onClick={() => onAction(m, 'sync')}
              disabled={m.status === 'paused'}
              data-testid="mailbox-sync"
            >
              {t('actions.sync')}
            </Menu.Item>
            {m.status === 'paused' ? (
              <Menu.Item leftSection={<IconPlayerPlay size={14} />} onClick={() => onAction(m, 'resume')} data-testid="mailbox-resume">
                {t('actions.resume')}
              </Menu.Item>
            ) : (
              <Menu.Item leftSection={<IconPlayerPause size={14} />} onClick={() => onAction(m, 'pause')} data-testid="mailbox-pause">
                {t('actions.pause')}
              </Menu.Item>
            )}
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => onAction(m, 'unbind')} data-testid="mailbox-unbind">
              {t('actions.unbind')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
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
