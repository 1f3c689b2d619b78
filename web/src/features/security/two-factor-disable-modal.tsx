import { Modal, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ModalForm } from '../../components/modal-form.tsx';
import { securityApi } from './api.ts';
import { useSecurityT } from './text.ts';
import { CurrentPasswordInput, isWrongPassword } from './current-password-input.tsx';
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

  const wrongPassword = isWrongPassword(error);

  return (
    <ModalForm
      submission={{ busy, error }}
      onSubmit={turnOff}
      errorAlert={!wrongPassword && !codeError}
      errorTestId="two-factor-disable-error"
      onCancel={onCancel}
      submitLabel={t('twoFactor.turnOff')}
      submitColor="red"
      submitTestId="two-factor-disable-submit"
    >
      <Text size="sm">{t('twoFactor.disableBody')}</Text>
      <CurrentPasswordInput
        value={password}
        onChange={setPassword}
        requestError={error}
        touched={touched}
        autoFocus
        testId="two-factor-disable-password"
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
