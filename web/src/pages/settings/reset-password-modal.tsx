import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import type { User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import { MIN_PASSWORD_LENGTH, confirmError, passwordError } from '../../components/validation.ts';

interface ResetPasswordModalProps {
  user: User | null;
  onClose(): void;
  onDone(user: User): void;
}

export function ResetPasswordModal({ user, onClose, onDone }: ResetPasswordModalProps) {
  const { t } = useTranslation();
  const shown = useLastNonNull(user);
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={shown ? t('users.resetTitle', { name: shown.name }) : ''}
      data-testid="reset-password-modal"
    >
      {shown ? <ResetPasswordForm key={shown.id} user={shown} onClose={onClose} onDone={onDone} /> : null}
    </Modal>
  );
}

function ResetPasswordForm({ user, onClose, onDone }: { user: User; onClose(): void; onDone(user: User): void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = { password: passwordError(t, password), confirm: confirmError(t, password, confirm) };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (errors.password || errors.confirm) return;
    setBusy(true);
    setError(null);
    try {
      const result = await usersApi.update(user.id, { password });
      onDone(result.user);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <Text size="sm" c="dimmed">
          {t('users.resetHint')}
        </Text>
        <PasswordInput
          label={t('fields.newPassword')}
          description={t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH })}
          autoComplete="new-password"
          data-autofocus
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={touched && errors.password}
          data-testid="reset-password-new"
        />
        <PasswordInput
          label={t('fields.confirmPassword')}
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={touched && errors.confirm}
          data-testid="reset-password-confirm"
        />
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="reset-password-submit">
            {t('users.resetPassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
