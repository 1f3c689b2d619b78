import { Alert, Anchor, Button, Code, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconBrandGoogle, IconBrandWindows, IconDeviceMobile, IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { CopyValueButton } from '../../components/copy-value-button.tsx';
import { formatDateTime } from '../../components/format.ts';
import { SigninErrorAlert } from './signin-error.tsx';
import { useSigninT } from './text.ts';
import type { DeviceCode, SigninProvider } from './types.ts';
import type { SigninState } from './use-signin-flow.ts';

export const SIGNIN_APPS_PATH = '/settings/mailboxes/signin-apps';

export function ProviderIcon({ provider, size = 18 }: { provider: SigninProvider; size?: number }) {
  return provider === 'google' ? <IconBrandGoogle size={size} /> : <IconBrandWindows size={size} />;
}

/** "Not set up yet": admins get a link to Sign-in apps, members are told to ask one. */
export function NoSigninApp({ provider, isAdmin }: { provider: SigninProvider; isAdmin: boolean }) {
  const { t } = useSigninT();
  const name = t(`providers.${provider}`);
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('wizard.noAppTitle', { provider: name })}
      data-testid="signin-app-missing"
    >
      {isAdmin ? (
        <Stack gap={6} align="flex-start">
          <Text size="sm">{t('wizard.noAppBody', { provider: name })}</Text>
          <Anchor component={Link} to={SIGNIN_APPS_PATH} size="sm" data-testid="signin-app-missing-link">
            {t('wizard.noAppLink')}
          </Anchor>
        </Stack>
      ) : (
        <Text size="sm">{t('wizard.noAppMember', { provider: name })}</Text>
      )}
    </Alert>
  );
}

interface SigninPanelProps {
  provider: SigninProvider;
  email: string;
  state: SigninState;
  isAdmin: boolean;
  /** Known from Sign-in apps (admins can read it): no app for this provider. */
  appMissing: boolean;
  onStart(): void;
  /** Offered where the provider has a device code flow for mail (Microsoft). */
  onStartDevice?(): void;
  onReopen(): void;
  onCancel(): void;
}

/** "Sign in with Google / Microsoft": the button, the wait for the other window, the code, or why it failed. */
export function SigninPanel({ provider, email, state, isAdmin, appMissing, onStart, onStartDevice, onReopen, onCancel }: SigninPanelProps) {
  const { t } = useSigninT();
  const name = t(`providers.${provider}`);
  const missing = appMissing || (state.phase === 'failed' && state.code === 'oauth_app_missing');
  const busy = state.phase === 'starting' || state.phase === 'redirecting';

  return (
    <Paper withBorder p="md" data-testid="signin-panel" data-provider={provider} data-phase={state.phase}>
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          <ProviderIcon provider={provider} size={20} />
          <Text fw={600}>{t('wizard.signInTitle', { provider: name })}</Text>
        </Group>
        <Text size="sm">{t(`wizard.signInBody.${provider}`, { email })}</Text>

        {missing ? <NoSigninApp provider={provider} isAdmin={isAdmin} /> : null}
        {state.phase === 'failed' && state.code !== 'oauth_app_missing' ? <SigninErrorAlert code={state.code} error={state.error} /> : null}

        {state.phase === 'waiting' ? (
          <Group gap="sm" data-testid="signin-waiting">
            <Loader size="xs" />
            <Text size="sm">{t('wizard.waitingPopup')}</Text>
            <Button variant="subtle" size="compact-sm" onClick={onReopen} data-testid="signin-reopen">
              {t('wizard.reopenPopup')}
            </Button>
            <Button variant="subtle" size="compact-sm" color="gray" onClick={onCancel} data-testid="signin-cancel">
              {t('wizard.cancel')}
            </Button>
          </Group>
        ) : state.phase === 'device' ? (
          <DeviceCodeCard device={state.device} email={email} onCancel={onCancel} />
        ) : missing ? null : (
          <Group gap="sm">
            <Button
              leftSection={<ProviderIcon provider={provider} />}
              onClick={onStart}
              loading={busy}
              disabled={!email}
              data-testid="signin-start"
            >
              {t(`wizard.signInWith.${provider}`)}
            </Button>
            {onStartDevice ? (
              <Button
                variant="subtle"
                leftSection={<IconDeviceMobile size={16} />}
                onClick={onStartDevice}
                disabled={busy || !email}
                data-testid="signin-device"
              >
                {t('wizard.useCode')}
              </Button>
            ) : null}
          </Group>
        )}
        {state.phase === 'redirecting' ? (
          <Text size="sm" c="dimmed">
            {t('wizard.redirecting', { provider: name })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** The device code flow: the code and the page to enter it on, while the wizard polls the flow. */
export function DeviceCodeCard({ device, email, onCancel }: { device: DeviceCode; email: string; onCancel(): void }) {
  const { t, i18n } = useSigninT();
  return (
    <Paper withBorder p="sm" bg="gray.0" data-testid="device-code-card">
      <Stack gap="xs">
        <Text fw={600}>{t('device.title')}</Text>
        <Text size="sm">{t('device.body', { email })}</Text>
        <Anchor href={device.verificationUri} target="_blank" rel="noopener noreferrer" size="sm" data-testid="device-link">
          <Group gap={4} wrap="nowrap" component="span">
            {t('device.openPage', { uri: device.verificationUri })}
            <IconExternalLink size={14} />
          </Group>
        </Anchor>
        <Group gap="sm" align="center">
          <Text size="xs" c="dimmed">
            {t('device.code')}
          </Text>
          <Code fz="xl" fw={700} style={{ letterSpacing: '0.15em' }} data-testid="device-code">
            {device.userCode}
          </Code>
          <CopyValueButton value={device.userCode} testId="device-code-copy" />
        </Group>
        <Text size="xs" c="dimmed">
          {t('device.expires', { time: formatDateTime(device.expiresAt, i18n.language, '') })}
        </Text>
        <Group gap="sm">
          <Loader size="xs" />
          <Text size="sm">{t('device.waiting')}</Text>
          <Button variant="subtle" size="compact-sm" color="gray" onClick={onCancel} data-testid="signin-cancel">
            {t('wizard.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
