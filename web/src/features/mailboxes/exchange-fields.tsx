import { PasswordInput, Radio, Stack, Switch, TextInput } from '@mantine/core';
import { IconKey, IconWorldWww } from '@tabler/icons-react';
import { useMailboxesT } from './text.ts';
import type { Provider } from './types.ts';
import { ewsUrlValid, preferredProtocol, type WizardForm } from './wizard-state.ts';

/** The two catalogue entries behind the "Exchange / Microsoft 365" card. */
export const EXCHANGE_CHOICES = ['microsoft365', 'exchange'] as const;

export function isExchangeChoice(providerId: string): boolean {
  return (EXCHANGE_CHOICES as readonly string[]).includes(providerId);
}

/**
 * The one question of the Exchange / Microsoft 365 path, as a radio group (a fieldset with a legend, so
 * screen readers read the question with each answer), and the way back to IMAP for an admin who prefers it.
 */
export function ExchangeChoice({
  form,
  provider,
  onPick,
  onProtocol,
}: {
  form: WizardForm;
  provider: Provider | null;
  onPick(providerId: string): void;
  onProtocol(protocol: WizardForm['protocol']): void;
}) {
  const { t } = useMailboxesT();
  const preferred = preferredProtocol(provider);
  const imapPossible = preferred !== 'imap' && provider?.protocols.includes('imap') === true;
  return (
    <Stack gap="xs">
      <Radio.Group
        label={t('exchange.question')}
        description={t('exchange.questionHelp')}
        value={form.providerId}
        onChange={onPick}
        data-testid="exchange-choice"
      >
        <Stack gap="xs" mt="xs">
          {EXCHANGE_CHOICES.map((id) => (
            <Radio
              key={id}
              value={id}
              label={t(`exchange.${id}`)}
              description={t(`exchange.${id}Help`)}
              data-testid={`exchange-choice-${id}`}
            />
          ))}
        </Stack>
      </Radio.Group>
      {imapPossible ? (
        <Switch
          label={t('exchange.useImap')}
          description={t('exchange.useImapHelp')}
          checked={form.protocol === 'imap'}
          onChange={(e) => onProtocol(e.currentTarget.checked ? 'imap' : preferred)}
          data-testid="exchange-use-imap"
        />
      ) : null}
    </Stack>
  );
}

/** Exchange Server over EWS: the Windows user name, its password and the endpoint (Autodiscover's, or typed). */
export function EwsFields({
  form,
  found,
  onChange,
}: {
  form: WizardForm;
  /** The endpoint came from Autodiscover (discovery or the test), not from the user. */
  found: boolean;
  onChange(patch: Partial<WizardForm>): void;
}) {
  const { t } = useMailboxesT();
  const urlError = ewsUrlValid(form.ewsUrl) ? null : t('exchange.ewsUrlInvalid');
  return (
    <Stack gap="sm" data-testid="ews-fields">
      <TextInput
        label={t('exchange.username')}
        description={t('exchange.usernameHelp')}
        value={form.username}
        onChange={(e) => onChange({ username: e.currentTarget.value })}
        autoComplete="username"
        required
        data-testid="username"
      />
      <PasswordInput
        label={t('exchange.password')}
        description={t('exchange.passwordHelp')}
        leftSection={<IconKey size={16} />}
        autoComplete="new-password"
        value={form.password}
        onChange={(e) => onChange({ password: e.currentTarget.value, authKind: 'password' })}
        required
        data-testid="password"
      />
      <TextInput
        label={t('exchange.ewsUrl')}
        description={found && form.ewsUrl ? t('exchange.ewsUrlFound') : t('exchange.ewsUrlHelp')}
        placeholder="https://mail.example.com/EWS/Exchange.asmx"
        leftSection={<IconWorldWww size={16} />}
        value={form.ewsUrl}
        // A new endpoint is a new server: a trust given to the old one's certificate does not carry over.
        onChange={(e) => onChange({ ewsUrl: e.currentTarget.value, trusted: {} })}
        error={urlError}
        inputMode="url"
        data-testid="ews-url"
      />
    </Stack>
  );
}
