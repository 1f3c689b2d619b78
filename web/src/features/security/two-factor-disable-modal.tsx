import { Modal, PasswordInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { requiredError } from '../../components/validation.ts';
import { securityApi } from './api.ts';
import { securityErrorText, useSecurityT } from './text.ts';
import { useTotpForm } from './use-totp-form.ts';
import type { SecurityUser } from './types.ts';

interface TwoFactorDisableModalProps {
  opened: boolean;
  onClose(): void;
  onDisabled(user: SecurityUser): void;
}

/** Turning 2FA off asks for the password, so an unattended signed-in browser cannot weaken the account. */
export function TwoFactorDisableModal({ opened, onClose, onDisabled }: TwoFactorDisableModalProps) {
  const { t } = useSecurityT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('twoFactor.disableTitle')} data-testid="two-factor-disable-modal">
      {opened ? <DisableForm onCancel={onClose} onDisabled={onDisabled} /> : null}
    </Modal>
  );
}

function DisableForm({ onCancel, onDisabled }: { onCancel(): void; onDisabled(user: SecurityUser): void }) {
  const { t } = useSecurityT();
  const { t: tc } = useTranslation();
  const [password, setPassword] = useState('');
  const {
    code,
    setCode,
    busy,
    error,
    codeError,
    sendCode: turnOff,
    touched,
  } = useTotpForm(
    async (totp) => {
      onDisabled((await securityApi.disableTwoFactor({ password, code: totp })).user);
    },
    { othersValid: password !== '', allowRecovery: true },
  );

  const wrongPassword = error instanceof ApiError && error.code === 'wrong_password';
  const passwordError = (wrongPassword ? securityErrorText(t, error) : null) ?? (touched ? requiredError(tc, password) : null);

  return (
    <ModalForm
      onSubmit={turnOff}
      error={error}
      errorAlert={!wrongPassword && !codeError}
      errorTestId="two-factor-disable-error"
      onCancel={onCancel}
      busy={busy}
      submitLabel={t('twoFactor.turnOff')}
      submitColor="red"
      submitTestId="two-factor-disable-submit"
    >
      <Text size="sm">{t('twoFactor.disableBody')}</Text>
      <PasswordInput
        label={tc('fields.password')}
        autoComplete="current-password"
        required
        data-autofocus
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={passwordError}
        data-testid="two-factor-disable-password"
      />
      <TextInput
        label={t('twoFactor.disableCode')}
        value={code}
        onChange={(e) => setCode(e.currentTarget.value.trim())}
        error={codeError}
        autoComplete="one-time-code"
        spellCheck={false}
        data-testid="two-factor-disable-code"
      />
    </ModalForm>
  );
}
