import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { usersApi } from '../../api/endpoints.ts';
import { AdminOnly } from '../../components/admin-only.tsx';
import { ChoiceField } from '../../components/choice-control.tsx';
import { DataTable, LoadingBlock } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFieldForm } from '../../components/field-form.ts';
import { PageHeader } from '../../components/page-header.tsx';

// Settings › Organisation access (issue 14, point 3): Microsoft 365 application permissions and Google
// Workspace domain-wide delegation, then binding many people's mailboxes from one screen.

type Provider = 'microsoft' | 'google';
interface Text2 {
  en: string;
  'zh-CN': string;
}
interface OrgGrant {
  provider: Provider;
  configured: boolean;
  tenant: string | null;
  domains: string[];
  clientId: string | null;
  appHasSecret: boolean | null;
  serviceAccountEmail: string | null;
  hasKey: boolean | null;
  mailboxes: number;
  guide: { title: Text2; steps: Text2[]; notes: Text2[] };
}
interface BindingResult {
  line: number | null;
  address: string;
  ownerUserId: string | null;
  status: 'bound' | 'failed';
  code: string | null;
  message: Text2 | null;
  fix: Text2 | null;
}

const orgApi = {
  list: () => api.get<{ items: OrgGrant[] }>('/api/v1/signin/organisation'),
  saveMicrosoft: (input: { tenant: string; domains: string[] }) =>
    api.put<{ item: OrgGrant }>('/api/v1/signin/organisation/microsoft', input),
  saveGoogle: (input: { serviceAccountKey?: string; domains: string[] }) =>
    api.put<{ item: OrgGrant }>('/api/v1/signin/organisation/google', input),
  bind: (input: { provider: Provider; rows: Array<{ address: string; ownerUserId: string }>; csv?: string }) =>
    api.post<{ items: BindingResult[] }>('/api/v1/signin/organisation/bindings', input),
};

const splitDomains = (value: string) =>
  value
    .split(/[,\s]+/)
    .map((d) => d.trim())
    .filter(Boolean);

export function OrganisationPage() {
  const { t } = useTranslation('organisation');
  return (
    <AdminOnly
      title={t('title')}
      subtitle={t('subtitle')}
      denied={{ title: t('adminOnlyTitle'), body: t('adminOnlyBody'), testId: 'organisation-admin-only' }}
    >
      {() => <OrganisationAdmin />}
    </AdminOnly>
  );
}

function OrganisationAdmin() {
  const { t } = useTranslation('organisation');
  const grants = useQuery({ queryKey: ['signin-organisation'], queryFn: orgApi.list });
  const items = grants.data?.items ?? null;
  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <ErrorAlert error={grants.error} testId="organisation-load-error" />
      {items === null ? (
        <LoadingBlock />
      ) : (
        <Stack gap="lg">
          {items.map((grant) => (
            <GrantCard key={grant.provider} grant={grant} />
          ))}
          <BindMailboxes configured={items.filter((g) => g.configured).map((g) => g.provider)} />
        </Stack>
      )}
    </>
  );
}

function GrantCard({ grant }: { grant: OrgGrant }) {
  const { t, i18n } = useTranslation('organisation');
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const queryClient = useQueryClient();
  const { setValue, field, submit, submission } = useFieldForm({
    tenant: grant.tenant ?? '',
    domains: grant.domains.join(', '),
    keyFile: null as File | null,
  });

  const save = () =>
    submit(async ({ tenant, domains, keyFile }) => {
      if (grant.provider === 'microsoft') await orgApi.saveMicrosoft({ tenant: tenant.trim(), domains: splitDomains(domains) });
      else await orgApi.saveGoogle({ ...(keyFile && { serviceAccountKey: await keyFile.text() }), domains: splitDomains(domains) });
      setValue('keyFile', null);
      notifications.show({ color: 'green', message: t('saved') });
      await queryClient.invalidateQueries({ queryKey: ['signin-organisation'] });
    });

  const titleId = `org-${grant.provider}-title`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId} data-testid={`org-${grant.provider}`}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id={titleId}>
          {t(grant.provider)}
        </Title>
        <Badge color={grant.configured ? 'teal.9' : 'gray.8'} variant="filled" data-testid={`org-${grant.provider}-state`}>
          {grant.configured ? t('configured') : t('notConfigured')}
        </Badge>
      </Group>
      {grant.configured && (
        <Text size="sm" c="gray.8" mb="xs">
          {t('mailboxCount', { count: grant.mailboxes })}
          {grant.clientId ? ` · ${t('clientId')}: ${grant.clientId}` : ''}
          {grant.serviceAccountEmail ? ` · ${t('serviceAccount')}: ${grant.serviceAccountEmail}` : ''}
        </Text>
      )}
      <Text fw={500} size="sm" mt="sm">
        {t('steps')}
      </Text>
      <List type="ordered" size="sm" spacing={4} mb="sm">
        {grant.guide.steps.map((step) => (
          <List.Item key={step.en}>{step[lang]}</List.Item>
        ))}
      </List>
      <Stack gap="xs" maw={560}>
        {grant.provider === 'microsoft' ? (
          <TextInput label={t('tenant')} {...field('tenant')} data-testid="org-microsoft-tenant" />
        ) : (
          <FileInput
            label={t('keyFile')}
            description={grant.hasKey ? t('keyStored') : undefined}
            accept="application/json,.json"
            {...field('keyFile')}
            clearable
            data-testid="org-google-key"
          />
        )}
        <TextInput label={t('domains')} {...field('domains')} data-testid={`org-${grant.provider}-domains`} />
        <ErrorAlert error={submission.error} testId={`org-${grant.provider}-error`} />
        <Group>
          <Button color="indigo.8" onClick={save} loading={submission.busy} data-testid={`org-${grant.provider}-save`}>
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function BindMailboxes({ configured }: { configured: Provider[] }) {
  const { t, i18n } = useTranslation('organisation');
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: usersApi.list });
  const { values, setValue, field, submit, submission } = useFieldForm({
    provider: (configured[0] ?? null) as Provider | null,
    picked: [] as string[],
    csv: '',
  });
  const { provider, picked, csv } = values;
  const [results, setResults] = useState<BindingResult[] | null>(null);
  const activeUsers = (users.data?.items ?? []).filter((u) => u.active);
  const ownerLabel = (id: string | null) => activeUsers.find((u) => u.id === id)?.email ?? '—';
  const current = provider && configured.includes(provider) ? provider : (configured[0] ?? null);

  async function bind() {
    if (!current) return;
    const rows = picked.map((id) => ({ address: activeUsers.find((u) => u.id === id)!.email, ownerUserId: id }));
    if (rows.length === 0 && !csv.trim()) {
      submission.setError(new Error(t('nothingToBind')));
      return;
    }
    await submit(async () => {
      const answer = await orgApi.bind({ provider: current, rows, ...(csv.trim() && { csv }) });
      setResults(answer.items);
      setValue('picked', []);
      await queryClient.invalidateQueries({ queryKey: ['signin-organisation'] });
    });
  }

  const bound = results?.filter((r) => r.status === 'bound').length ?? 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="org-bind-title" data-testid="org-bind">
      <Title order={2} size="h4" id="org-bind-title" mb="xs">
        {t('bindTitle')}
      </Title>
      <Text size="sm" c="gray.8" mb="sm">
        {t('bindHelp')}
      </Text>
      {configured.length === 0 ? (
        <Alert variant="light" color="gray" data-testid="org-bind-setup-first">
          {t('setUpFirst')}
        </Alert>
      ) : (
        <Stack gap="xs" maw={720}>
          <ChoiceField
            label={t('provider')}
            value={current ?? undefined}
            onChange={(p) => setValue('provider', p)}
            options={configured.map((p) => ({ value: p, label: p === 'microsoft' ? 'Microsoft 365' : 'Google Workspace' }))}
            testId="org-bind-provider"
          />
          <MultiSelect
            label={t('pickUsers')}
            data={activeUsers.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
            {...field('picked')}
            searchable
            data-testid="org-bind-users"
          />
          <Textarea
            label={t('csv')}
            placeholder={'address,owner\nli@example.com,li@example.com'}
            autosize
            minRows={3}
            {...field('csv')}
            data-testid="org-bind-csv"
          />
          <FileInput
            label={t('csvFile')}
            accept="text/csv,.csv,text/plain"
            onChange={async (file) => setValue('csv', file ? await file.text() : '')}
            clearable
            data-testid="org-bind-csv-file"
          />
          <ErrorAlert error={submission.error} testId="org-bind-error" />
          <Group>
            <Button color="indigo.8" onClick={bind} loading={submission.busy} data-testid="org-bind-submit">
              {t('bind')}
            </Button>
          </Group>
        </Stack>
      )}
      {results && (
        <Stack gap="xs" mt="md">
          <Text fw={500} data-testid="org-bind-summary">
            {t('results')}: {t('summary', { bound, failed: results.length - bound })}
          </Text>
          <DataTable columns={[t('address'), t('owner'), t('status'), t('fix')]} minWidth={720} testId="org-bind-results">
            {results.map((r) => (
              <Table.Tr key={`${r.line}-${r.address}`} data-testid="org-bind-row" data-status={r.status}>
                <Table.Td>{r.address}</Table.Td>
                <Table.Td>{ownerLabel(r.ownerUserId)}</Table.Td>
                <Table.Td>
                  <Badge color={r.status === 'bound' ? 'teal.9' : 'red.9'} variant="filled">
                    {r.status === 'bound' ? t('bound') : t('failed')}
                  </Badge>
                  {r.code && (
                    <Text size="xs" c="gray.8">
                      {r.code}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.message && <Text size="sm">{r.message[lang]}</Text>}
                  {r.fix && (
                    <Text size="sm" c="gray.8">
                      {r.fix[lang]}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        </Stack>
      )}
    </Paper>
  );
}
