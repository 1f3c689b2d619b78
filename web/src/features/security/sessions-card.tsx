import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLogout } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useListQuery } from '../../api/use-list-query.ts';
import { ListTable, RowDangerButton } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SectionTitle } from '../../components/section-title.tsx';
import { formatDateTime } from '../../components/format.ts';
import { securityApi } from './api.ts';
import { useSecurityT } from './text.ts';
import type { SessionInfo } from './types.ts';

/** A short name for a browser from its user agent: enough to tell a phone from a laptop. */
export function browserName(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return browser && system ? `${browser} · ${system}` : (browser ?? system ?? userAgent.slice(0, 60));
}

/** Where the person is signed in, with "sign out" for each browser other than this one. */
export function SessionsCard() {
  const { t } = useSecurityT();
  const { t: tc, i18n } = useTranslation();
  const list = useListQuery<SessionInfo>(['me', 'sessions'], securityApi.sessions);
  const [ending, setEnding] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function signOut(session: SessionInfo) {
    setEnding(session.id);
    setError(null);
    try {
      await securityApi.endSession(session.id);
      list.remove(session.id);
      notifications.show({ color: 'gray', message: t('sessions.ended') });
    } catch (err) {
      setError(err);
    } finally {
      setEnding(null);
    }
  }

  const row = (session: SessionInfo) => (
    <Table.Tr key={session.id} data-testid="sessions-row" data-current={session.current}>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" title={session.userAgent ?? undefined}>
            {browserName(session.userAgent) ?? t('sessions.unknownBrowser')}
          </Text>
          {session.current ? (
            <Badge size="sm" variant="light" color="teal">
              {t('sessions.thisBrowser')}
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td c="dimmed">{session.ip ?? '—'}</Table.Td>
      <Table.Td c="dimmed">{formatDateTime(session.lastSeenAt, i18n.language, tc('common.never'))}</Table.Td>
      <Table.Td c="dimmed">{formatDateTime(session.createdAt, i18n.language, tc('common.never'))}</Table.Td>
      <Table.Td ta="right">
        {session.current ? null : (
          <RowDangerButton
            icon={IconLogout}
            loading={ending === session.id}
            onClick={() => void signOut(session)}
            testId="sessions-sign-out"
          >
            {t('sessions.signOut')}
          </RowDangerButton>
        )}
      </Table.Td>
    </Table.Tr>
  );

  return (
    <Paper withBorder p="lg" data-testid="sessions-card">
      <Stack gap="sm">
        <SectionTitle title={t('sessions.title')} subtitle={t('sessions.subtitle')} />
        <ErrorAlert error={list.error ?? error} testId="sessions-error" />
        <ListTable
          items={list.items}
          error={list.error}
          loadingPadding="md"
          row={row}
          testId="sessions-table"
          minWidth={560}
          columns={[t('sessions.browser'), t('sessions.address'), t('sessions.lastSeen'), t('sessions.signedIn')]}
          actions={{ label: tc('common.actions'), width: 120 }}
        />
      </Stack>
    </Paper>
  );
}
