import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { requiredError } from '../../components/validation.ts';
import { securityApi } from './api.ts';
import { securityErrorText, useSecurityT } from './text.ts';
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
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!password) return;
    setBusy(true);
    setError(null);
    try {
      const { user } = await securityApi.disableTwoFactor(password);
      onDisabled(user);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const wrongPassword = error instanceof ApiError && error.code === 'invalid_credentials';
  const passwordError = (wrongPassword ? securityErrorText(t, error) : null) ?? (touched ? requiredError(tc, password) : null);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        {wrongPassword ? null : <ErrorAlert error={error} testId="two-factor-disable-error" />}
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
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {tc('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={busy} data-testid="two-factor-disable-submit">
            {t('twoFactor.turnOff')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
