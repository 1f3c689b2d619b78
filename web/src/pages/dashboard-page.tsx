import { Anchor, Badge, Box, Group, Paper, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../components/format.ts';
import { ChoiceControl } from '../components/choice-control.tsx';
import { DataTable, LoadingBlock } from '../components/data-table.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { SectionTitle } from '../components/section-title.tsx';
import { AnalyticsSection } from '../features/analytics/analytics-section.tsx';
import { crmApi } from '../features/crm/api.ts';
import { BarRows } from '../features/crm/bar-rows.tsx';
import { CrmErrorAlert } from '../features/crm/crm-error-alert.tsx';
import { formatMoney, stageLabel, useCrmT } from '../features/crm/text.ts';

const KIND_COLOR = { open: 'blue.5', won: 'teal.5', lost: 'red.4' } as const;
/** The two halves of each customer's mail bar, in the bar's order and the legend's. */
const MAIL_PARTS = [
  { field: 'sent', color: 'indigo.5', label: 'dashboard.sent' },
  { field: 'received', color: 'cyan.4', label: 'dashboard.received' },
] as const;

export function DashboardPage() {
  const { t, i18n } = useCrmT();
  const [scope, setScope] = useState<'me' | 'team'>('me');
  const [hours, setHours] = useState('48');
  const [per, setPer] = useState<'company' | 'contact'>('company');
  const query = useQuery({
    queryKey: ['dashboard', scope, hours],
    queryFn: () => crmApi.dashboard(scope, Number(hours)),
    placeholderData: keepPreviousData,
  });
  const data = query.data ?? null;
  const error = query.error;

  const customers = data ? (per === 'company' ? data.mailByCompany : data.mailByContact) : [];
  const card = (title: string, children: React.ReactNode, testId: string, extra?: React.ReactNode) => (
    <Paper withBorder p="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <SectionTitle title={title} />
        {extra}
      </Group>
      {children}
    </Paper>
  );

  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        subtitle={t('dashboard.subtitle')}
        actions={
          <ChoiceControl
            value={scope}
            onChange={setScope}
            options={{ me: t('dashboard.mine'), team: t('dashboard.team') }}
            testId="dashboard-scope"
          />
        }
      />
      <CrmErrorAlert error={error} testId="dashboard-error" />
      {!data ? (
        error ? null : (
          <LoadingBlock />
        )
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {card(
              t('dashboard.dealsByStage'),
              <BarRows
                testId="dashboard-stages"
                rows={data.dealsByStage.map((s) => ({
                  key: s.stageId,
                  label: stageLabel(s.name, i18n.language),
                  parts: [{ value: s.count, color: KIND_COLOR[s.kind], label: t('dashboard.deals') }],
                  note: `${s.count} · ${s.amounts.length ? s.amounts.map((a) => formatMoney(a.amount, a.currency, i18n.language)).join(' + ') : '—'}`,
                }))}
              />,
              'dashboard-deals',
            )}
            {card(
              t('dashboard.mailPerCustomer', { days: data.mailWindowDays }),
              customers.length ? (
                <>
                  <BarRows
                    testId="dashboard-mail"
                    rows={customers.map((c) => ({
                      key: c.id,
                      label: (
                        <Anchor component={Link} to={`/${c.kind === 'company' ? 'companies' : 'contacts'}/${c.id}`} size="sm">
                          {c.name}
                        </Anchor>
                      ),
                      parts: MAIL_PARTS.map(({ field, color, label }) => ({ value: c[field], color, label: t(label) })),
                      note: t('dashboard.sentReceived', { sent: c.sent, received: c.received }),
                    }))}
                  />
                  <Group gap="md" mt="sm">
                    {MAIL_PARTS.map(({ color, label }) => (
                      <Group key={label} gap={4}>
                        <Badge size="xs" color={color} circle>
                          {' '}
                        </Badge>
                        <Text size="xs">{t(label)}</Text>
                      </Group>
                    ))}
                  </Group>
                </>
              ) : (
                <Text size="sm" c="dimmed" data-testid="dashboard-mail-empty">
                  {t('dashboard.noMail')}
                </Text>
              ),
              'dashboard-customers',
              <ChoiceControl
                value={per}
                onChange={setPer}
                options={{ company: t('dashboard.byCompany'), contact: t('dashboard.byContact') }}
              />,
            )}
          </SimpleGrid>
          {card(
            t('dashboard.unanswered', { count: data.unanswered.total }),
            data.unanswered.items.length ? (
              <DataTable
                testId="dashboard-unanswered-table"
                fz="sm"
                verticalSpacing={4}
                columns={[t('dashboard.from'), t('dashboard.subject'), t('dashboard.mailbox'), t('dashboard.received')]}
              >
                {data.unanswered.items.map((m) => (
                  <Table.Tr key={m.id} data-testid="dashboard-unanswered-row">
                    <Table.Td>
                      {m.contact ? (
                        <Anchor component={Link} to={`/contacts/${m.contact.id}`} size="sm">
                          {m.contact.name}
                        </Anchor>
                      ) : (
                        (m.from?.name ?? m.from?.address ?? '—')
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/inbox?message=${encodeURIComponent(m.id)}`} size="sm">
                        {m.subject ?? t('dashboard.subjectHidden')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {m.mailboxEmail}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(m.date, i18n.language, '')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </DataTable>
            ) : (
              <Text size="sm" c="dimmed" data-testid="dashboard-unanswered-empty">
                {t('dashboard.allAnswered')}
              </Text>
            ),
            'dashboard-unanswered',
            <Select
              size="xs"
              w={150}
              value={hours}
              onChange={(v) => setHours(v ?? '48')}
              allowDeselect={false}
              aria-label={t('dashboard.olderThan')}
              data={['24', '48', '72', '168'].map((h) => ({ value: h, label: t('dashboard.hours', { count: Number(h) }) }))}
              data-testid="dashboard-hours"
            />,
          )}
        </Stack>
      )}
      <Box mt="xl">
        <AnalyticsSection />
      </Box>
    </>
  );
}
