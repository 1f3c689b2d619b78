import { Alert, Badge, Divider, Group, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconKey } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { signinProviderOf } from '../signin/provider-kind.ts';
import { useSigninT } from '../signin/text.ts';
import { EwsFields, ExchangeChoice, isExchangeChoice } from './exchange-fields.tsx';
import { ServerFields } from './server-fields.tsx';
import { localText, useMailboxesT } from './text.ts';
import type { PasswordKind, Provider } from './types.ts';
import { needsOAuth, passwordKind, type WizardForm } from './wizard-state.ts';

interface SettingsStepProps {
  form: WizardForm;
  provider: Provider | null;
  isAdmin: boolean;
  onChange(patch: Partial<WizardForm>): void;
  /** The Exchange / Microsoft 365 question: the other catalogue entry was chosen. */
  onPickProvider?(providerId: string): void;
  /** The EWS address came from Autodiscover. */
  ewsUrlFound?: boolean;
  /** "Sign in with Google / Microsoft", for a provider that binds by signing in. */
  signinPanel?: ReactNode;
}

/** What the provider asks of the user before binding: OAuth-only, EWS-only, where to switch IMAP on. */
export function ProviderNotes({ provider }: { provider: Provider | null }) {
  const { t, i18n } = useMailboxesT();
  if (!provider) return null;
  // Where Tidings signs in with the provider itself, the sign-in panel says what to do instead.
  const oauth = needsOAuth(provider) && signinProviderOf(provider) === null;
  const appPasswords = provider.auth.includes('app_password');
  return (
    <Stack gap="xs">
      {oauth ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('notes.oauthTitle')} data-testid="note-oauth">
          {appPasswords ? t('notes.oauthAppPassword') : t('notes.oauthNoAppPassword')}
        </Alert>
      ) : null}
      {provider.quirks.includes('ews_only') && provider.protocols.includes('ews') ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} title={t('notes.ewsTitle')} data-testid="note-ews">
          {t('notes.ewsBody')}
        </Alert>
      ) : null}
      <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} title={t('notes.beforeYouStart')} data-testid="provider-help">
        {localText(provider.help, i18n.language)}
      </Alert>
    </Stack>
  );
}

/** Step 3: server settings (prefilled, with where they came from), user name and the password or code. */
export function SettingsStep(props: SettingsStepProps) {
  const { form, provider, onChange, onPickProvider } = props;
  const choice =
    onPickProvider && isExchangeChoice(form.providerId) ? (
      <ExchangeChoice
        form={form}
        provider={provider}
        onPick={onPickProvider}
        onProtocol={(protocol) => onChange({ protocol, trusted: {} })}
      />
    ) : null;
  if (form.protocol === 'graph') return <GraphSettings {...props} choice={choice} />;
  if (form.protocol === 'ews') {
    return (
      <Stack gap="md">
        {choice}
        <ProviderNotes provider={provider} />
        <EwsFields form={form} found={props.ewsUrlFound === true} onChange={onChange} />
      </Stack>
    );
  }
  return <ImapSettings {...props} choice={choice} />;
}

/** Microsoft 365 over Graph: the sign-in is all it takes. */
function GraphSettings({ provider, signinPanel, choice }: SettingsStepProps & { choice: ReactNode }) {
  const { t } = useMailboxesT();
  return (
    <Stack gap="md">
      {choice}
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} data-testid="graph-ready">
        {t('exchange.graphReady')}
      </Alert>
      <ProviderNotes provider={provider} />
      {signinPanel}
    </Stack>
  );
}

function ImapSettings({ form, provider, isAdmin, onChange, signinPanel, choice }: SettingsStepProps & { choice: ReactNode }) {
  const { t } = useMailboxesT();
  const { t: ts } = useSigninT();
  // Microsoft takes no password at all; Google still takes an app password as the other way in.
  const passwordAccepted = !signinPanel || provider?.auth.includes('app_password') === true;
  const secretKind = form.authKind === 'oauth2' ? passwordKind(provider) : form.authKind;
  return (
    <Stack gap="md">
      {choice}
      <ProviderNotes provider={provider} />
      {signinPanel}
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {t('settings.servers')}
        </Text>
        <Badge variant="light" color={form.source ? 'indigo' : 'gray'} data-testid="settings-source" data-source={form.source ?? 'none'}>
          {form.source ? t(`sources.${form.source}`) : t('sources.none')}
        </Badge>
      </Group>
      <ServerFields
        protocol="imap"
        value={form.imap}
        isAdmin={isAdmin}
        onChange={(imap) => onChange({ imap, trusted: { ...form.trusted, imap: undefined } })}
      />
      <Divider />
      <Switch
        label={t('settings.smtpEnabled')}
        description={t('settings.smtpEnabledHelp')}
        checked={form.smtpEnabled}
        onChange={(e) => onChange({ smtpEnabled: e.currentTarget.checked })}
        data-testid="smtp-enabled"
      />
      {form.smtpEnabled ? (
        <ServerFields
          protocol="smtp"
          value={form.smtp}
          isAdmin={isAdmin}
          onChange={(smtp) => onChange({ smtp, trusted: { ...form.trusted, smtp: undefined } })}
        />
      ) : null}
      {passwordAccepted ? (
        <>
          <Divider label={signinPanel ? ts('wizard.orAppPassword') : undefined} labelPosition="left" />
          <PasswordFields form={form} provider={provider} kind={secretKind} onChange={onChange} />
        </>
      ) : null}
    </Stack>
  );
}

function PasswordFields({
  form,
  provider,
  kind,
  onChange,
}: {
  form: WizardForm;
  provider: Provider | null;
  kind: PasswordKind;
  onChange(patch: Partial<WizardForm>): void;
}) {
  const { t, i18n } = useMailboxesT();
  return (
    <>
      <TextInput
        label={t('settings.username')}
        description={t('settings.usernameHelp')}
        value={form.username}
        onChange={(e) => onChange({ username: e.currentTarget.value })}
        required
        data-testid="username"
      />
      <PasswordInput
        label={t(`authKinds.${kind}`)}
        description={localText(provider?.authHelp, i18n.language) || t(`authKindHelp.${kind}`)}
        leftSection={<IconKey size={16} />}
        autoComplete="new-password"
        value={form.password}
        // Typing a password chooses it over an earlier sign-in.
        onChange={(e) => onChange({ password: e.currentTarget.value, authKind: kind, signinId: null, signedInEmail: null })}
        required
        data-testid="password"
      />
    </>
  );
}
