import { Button, Group, Paper, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import { useKeysetQuery } from '../../api/use-keyset-query.ts';
import type { User } from '../../api/types.ts';
import { ListTable } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SectionTitle } from '../../components/section-title.tsx';
import { formatDateTime } from '../../components/format.ts';
import { securityApi } from './api.ts';
import { AUDIT_FILTERS, actionText, detailParts, filterPrefix, impliedTargetType, targetTypeText } from './audit-text.ts';
import type { AuditFilter } from './audit-text.ts';
import { useSecurityT } from './text.ts';
import type { AuditEntry } from './types.ts';

const PAGE_SIZE = 25;

/** The admin's view of who changed what: newest first, filtered by kind, paged with "Load more". */
export function AuditTrail() {
  const { t, i18n } = useSecurityT();
  const { t: tc } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>('all');
  // Names for targets that are users; the trail itself still reads well without them.
  const usersQuery = useQuery({ queryKey: ['users'], queryFn: () => usersApi.list() });
  const users = useMemo(() => new Map<string, User>((usersQuery.data?.items ?? []).map((u) => [u.id, u])), [usersQuery.data]);
  const { items, hasMore, loadMore, loadingMore, error } = useKeysetQuery(
    ['audit', filter],
    (cursor) => securityApi.audit({ limit: PAGE_SIZE, cursor, action: filterPrefix(filter) }),
    { keepPrevious: false },
  );

  const roleText = (role: string) => (role === 'admin' || role === 'member' ? tc(`roles.${role}`) : role);

  function target(entry: AuditEntry): { text: string; hint: string | null } {
    const typeName = entry.targetType ?? impliedTargetType(entry.action);
    const type = typeName ? targetTypeText(t, typeName) : '';
    if (!entry.targetId) return { text: type || '—', hint: null };
    const detail = entry.detail ?? {};
    let name: string | null = null;
    if (entry.targetType === 'user') {
      const user = users.get(entry.targetId);
      name = user ? user.name : entry.actor?.id === entry.targetId ? entry.actor.name : null;
    } else if (typeof detail.email === 'string') {
      name = detail.email;
    } else if (typeof detail.name === 'string') {
      name = detail.name;
    }
    return { text: name ? `${type} · ${name}` : `${type} · ${entry.targetId.slice(0, 8)}`, hint: entry.targetId };
  }

  const row = (entry: AuditEntry) => {
    const where = target(entry);
    const details = detailParts(t, entry, roleText);
    return (
      <Table.Tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
        <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(entry.at, i18n.language, '')}
        </Table.Td>
        <Table.Td>
          {entry.actor ? (
            <Stack gap={0}>
              <Text size="sm">{entry.actor.name ?? t('audit.deletedUser')}</Text>
              <Text size="xs" c="dimmed">
                {[entry.actor.email, entry.ip].filter(Boolean).join(' · ')}
              </Text>
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              {t('audit.system')}
            </Text>
          )}
        </Table.Td>
        <Table.Td data-testid="audit-action">
          <Text size="sm" fw={500}>
            {actionText(t, entry.action)}
          </Text>
        </Table.Td>
        <Table.Td>
          {where.hint ? (
            <Tooltip label={where.hint}>
              <Text size="sm">{where.text}</Text>
            </Tooltip>
          ) : (
            <Text size="sm">{where.text}</Text>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" c="dimmed">
            {details.join('; ')}
          </Text>
        </Table.Td>
      </Table.Tr>
    );
  };

  return (
    <Paper withBorder data-testid="audit-trail">
      <Group justify="space-between" align="flex-end" p="lg" pb="sm" wrap="wrap" gap="sm">
        <Group gap="xs" align="center" wrap="nowrap">
          <IconHistory size={20} />
          <SectionTitle title={t('audit.title')} subtitle={t('audit.subtitle')} />
        </Group>
        <Select
          aria-label={t('audit.filter')}
          data={AUDIT_FILTERS.map((f) => ({ value: f, label: t(`audit.filters.${f}`) }))}
          value={filter}
          onChange={(v) => v && setFilter(v as AuditFilter)}
          allowDeselect={false}
          w={220}
          data-testid="audit-filter"
        />
      </Group>
      {error ? (
        <Stack px="lg" pb="sm">
          <ErrorAlert error={error} testId="audit-error" />
        </Stack>
      ) : null}
      <ListTable
        items={items}
        error={error}
        empty={
          <Text size="sm" c="dimmed" ta="center" p="xl" data-testid="audit-empty">
            {t('audit.empty')}
          </Text>
        }
        row={row}
        testId="audit-table"
        minWidth={760}
        verticalSpacing="xs"
        columns={[t('audit.time'), t('audit.who'), t('audit.action'), t('audit.target'), t('audit.details')]}
      />
      {hasMore ? (
        <Group justify="center" p="sm">
          <Button variant="default" loading={loadingMore} onClick={() => void loadMore()} data-testid="audit-load-more">
            {t('audit.loadMore')}
          </Button>
        </Group>
      ) : null}
    </Paper>
  );
}
