import { Accordion, Alert, Badge, Button, Group, List, Paper, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChoiceField } from '../../components/choice-control.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { CopyableCode } from '../../components/copy-value-button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFieldForm } from '../../components/field-form.ts';
import { StackForm } from '../../components/stack-form.tsx';
import { localText } from '../mailboxes/text.ts';
import { signinApi } from './api.ts';
import { ProviderIcon } from './signin-panel.tsx';
import { useSigninT } from './text.ts';
import type { SigninApp, SigninAppInput } from './types.ts';

const TENANT_CHOICES = ['common', 'organizations', 'consumers'] as const;
type TenantChoice = (typeof TENANT_CHOICES)[number] | 'tenant';

function tenantChoice(tenant: string | null): TenantChoice {
  return tenant === null || (TENANT_CHOICES as readonly string[]).includes(tenant) ? ((tenant ?? 'common') as TenantChoice) : 'tenant';
}

interface SigninAppCardProps {
  app: SigninApp;
  onChanged(app: SigninApp | null): void;
}

/** One provider's sign-in app: the redirect URI to register, the client ID and a write-only secret, the guide. */
export function SigninAppCard({ app, onChanged }: SigninAppCardProps) {
  const { t, i18n } = useSigninT();
  const name = t(`providers.${app.provider}`);
  const fromEnv = app.source === 'environment';
  const [removing, setRemoving] = useState(false);

  return (
    <Paper
      withBorder
      p="md"
      data-testid={`signin-app-${app.provider}`}
      data-configured={String(app.configured)}
      data-source={app.source ?? ''}
    >
      <Stack gap="md">
        <Group justify="space-between">
          <Group gap="xs">
            <ProviderIcon provider={app.provider} size={22} />
            <Text fw={600} size="lg">
              {name}
            </Text>
          </Group>
          <Group gap="xs">
            {fromEnv ? (
              <Badge variant="light" color="gray" leftSection={<IconLock size={12} />}>
                {t('apps.fromEnvironment')}
              </Badge>
            ) : null}
            <Badge variant="light" color={app.configured ? 'teal' : 'gray'} data-testid={`signin-app-status-${app.provider}`}>
              {app.configured ? t('apps.configured') : t('apps.notConfigured')}
            </Badge>
          </Group>
        </Group>

        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('apps.redirectUri')}
          </Text>
          <CopyableCode
            value={app.redirectUri}
            style={{ overflowWrap: 'anywhere' }}
            testId={`redirect-uri-${app.provider}`}
            copyTestId={`redirect-uri-copy-${app.provider}`}
          />
          <Text size="xs" c="dimmed">
            {t('apps.redirectUriHelp')}
          </Text>
        </Stack>

        {fromEnv ? (
          <>
            <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} data-testid={`signin-app-env-${app.provider}`}>
              {t('apps.environmentBody', { prefix: `TIDINGS_${app.provider.toUpperCase()}` })}
            </Alert>
            <ReadOnlyApp app={app} />
          </>
        ) : (
          <AppForm
            key={`${app.clientId}-${app.hasSecret}-${app.tenant}`}
            app={app}
            onSaved={onChanged}
            onRemove={() => setRemoving(true)}
          />
        )}

        <Accordion variant="contained" chevronPosition="left">
          <Accordion.Item value="guide">
            <Accordion.Control data-testid={`signin-guide-${app.provider}`}>{localText(app.guide.title, i18n.language)}</Accordion.Control>
            <Accordion.Panel>
              <List type="ordered" spacing="xs" size="sm" data-testid={`signin-guide-steps-${app.provider}`}>
                {app.guide.steps.map((step) => (
                  <List.Item key={step.en} style={{ overflowWrap: 'anywhere' }}>
                    {localText(step, i18n.language)}
                  </List.Item>
                ))}
              </List>
              {app.guide.notes.length > 0 ? (
                <List spacing="xs" size="sm" mt="sm">
                  {app.guide.notes.map((note) => (
                    <List.Item key={note.en}>{localText(note, i18n.language)}</List.Item>
                  ))}
                </List>
              ) : null}
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      </Stack>

      <ConfirmModal
        opened={removing}
        title={t('apps.removeTitle', { provider: name })}
        body={t('apps.removeBody', { provider: name })}
        confirmLabel={t('apps.remove')}
        onConfirm={async () => {
          await signinApi.removeApp(app.provider);
          notifications.show({ color: 'gray', message: t('apps.removed', { provider: name }) });
          onChanged(null);
        }}
        onClose={() => setRemoving(false)}
        testId={`signin-app-remove-modal-${app.provider}`}
      />
    </Paper>
  );
}

function ReadOnlyApp({ app }: { app: SigninApp }) {
  const { t } = useSigninT();
  return (
    <Stack gap="xs">
      <TextInput
        label={t(`apps.clientId.${app.provider}`)}
        value={app.clientId ?? ''}
        readOnly
        data-testid={`signin-app-client-id-${app.provider}`}
      />
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {t('apps.clientSecret')}
        </Text>
        <Badge variant="light" color={app.hasSecret ? 'teal' : 'gray'}>
          {app.hasSecret ? t('apps.secretStored') : t('apps.secretNone')}
        </Badge>
      </Group>
      {app.provider === 'microsoft' ? <TextInput label={t('apps.tenant')} value={app.tenant ?? 'common'} readOnly /> : null}
    </Stack>
  );
}

function AppForm({ app, onSaved, onRemove }: { app: SigninApp; onSaved(app: SigninApp): void; onRemove(): void }) {
  const { t } = useSigninT();
  const { t: tc } = useTranslation();
  const provider = app.provider;
  const name = t(`providers.${provider}`);
  // A stored secret is never shown: it is kept unless the admin chooses to replace it.
  const [replacing, setReplacing] = useState(!app.hasSecret);
  const required = (missing: boolean) => (missing ? tc('validation.required') : null);
  const { values, setValue, field, bind, submit, submission } = useFieldForm(
    {
      clientId: app.clientId ?? '',
      clientSecret: '',
      secretKind: (app.configured && !app.hasSecret && provider === 'microsoft' ? 'none' : 'secret') as 'secret' | 'none',
      tenantKind: tenantChoice(app.tenant),
      tenant: tenantChoice(app.tenant) === 'tenant' ? (app.tenant ?? '') : '',
    },
    (v) => ({
      clientId: required(v.clientId.trim() === ''),
      clientSecret: required(v.secretKind === 'secret' && replacing && v.clientSecret === ''),
      tenant: required(provider === 'microsoft' && v.tenantKind === 'tenant' && v.tenant.trim() === ''),
    }),
  );
  const { secretKind, tenantKind } = values;

  function input(): SigninAppInput {
    const body: SigninAppInput = { clientId: values.clientId.trim() };
    if (secretKind === 'none') body.clientSecret = null;
    else if (replacing) body.clientSecret = values.clientSecret;
    if (provider === 'microsoft') body.tenant = tenantKind === 'tenant' ? values.tenant.trim() : tenantKind;
    return body;
  }

  const save = () =>
    submit(async () => {
      const { item: saved } = await signinApi.saveApp(provider, input());
      notifications.show({ color: 'teal', message: t('apps.saved', { provider: name }) });
      onSaved(saved);
    });

  return (
    <StackForm onSubmit={save}>
      <ErrorAlert error={submission.error} testId={`signin-app-error-${provider}`} />
      <TextInput
        label={t(`apps.clientId.${provider}`)}
        placeholder={t(`apps.clientIdPlaceholder.${provider}`)}
        {...field('clientId')}
        required
        autoComplete="off"
        data-testid={`signin-app-client-id-${provider}`}
      />
      {provider === 'microsoft' ? (
        <ChoiceField
          label={t('apps.secretKind')}
          hint={t('apps.secretKindHelp')}
          {...bind('secretKind')}
          options={{ secret: t('apps.secretKinds.secret'), none: t('apps.secretKinds.none') }}
          testId="signin-app-secret-kind"
        />
      ) : null}
      {secretKind === 'secret' ? (
        replacing ? (
          <Stack gap={4}>
            <PasswordInput
              label={t('apps.clientSecret')}
              description={t('apps.clientSecretHelp')}
              {...field('clientSecret')}
              required
              autoComplete="new-password"
              data-testid={`signin-app-secret-${provider}`}
            />
            {app.hasSecret ? (
              <Button variant="subtle" size="compact-xs" w="fit-content" onClick={() => setReplacing(false)}>
                {t('apps.keepSecret')}
              </Button>
            ) : null}
          </Stack>
        ) : (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('apps.clientSecret')}
            </Text>
            <Group gap="xs">
              <Badge variant="light" color="teal" leftSection={<IconLock size={12} />} data-testid={`signin-app-secret-stored-${provider}`}>
                {t('apps.secretStored')}
              </Badge>
              <Button variant="default" size="xs" onClick={() => setReplacing(true)} data-testid={`signin-app-secret-replace-${provider}`}>
                {t('apps.replaceSecret')}
              </Button>
            </Group>
          </Stack>
        )
      ) : null}
      {provider === 'microsoft' ? (
        <>
          <Select
            label={t('apps.tenant')}
            data={[...TENANT_CHOICES, 'tenant' as const].map((v) => ({ value: v, label: t(`apps.tenants.${v}`) }))}
            value={tenantKind}
            onChange={(v) => setValue('tenantKind', (v as TenantChoice | null) ?? 'common')}
            allowDeselect={false}
            data-testid="signin-app-tenant"
          />
          {tenantKind === 'tenant' ? (
            <TextInput
              label={t('apps.tenantId')}
              description={t('apps.tenantIdHelp')}
              {...field('tenant')}
              required
              data-testid="signin-app-tenant-id"
            />
          ) : null}
        </>
      ) : null}
      <Group justify="flex-end" gap="xs">
        {app.configured ? (
          <Button variant="subtle" color="red" onClick={onRemove} data-testid={`signin-app-remove-${provider}`}>
            {t('apps.remove')}
          </Button>
        ) : null}
        <Button type="submit" loading={submission.busy} data-testid={`signin-app-save-${provider}`}>
          {t('apps.save')}
        </Button>
      </Group>
    </StackForm>
  );
}
