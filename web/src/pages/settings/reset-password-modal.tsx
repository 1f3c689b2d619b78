import { Modal, PasswordInput, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import type { User } from '../../api/types.ts';
import { ModalForm, useFormSubmit } from '../../components/modal-form.tsx';
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
  const { touched, busy, error, submit } = useFormSubmit();
  const errors = { password: passwordError(t, password), confirm: confirmError(t, password, confirm) };

  const save = () =>
    submit(!errors.password && !errors.confirm, async () => {
      onDone((await usersApi.update(user.id, { password })).user);
    });

  return (
    <ModalForm
      onSubmit={save}
      error={error}
      onCancel={onClose}
      busy={busy}
      submitLabel={t('users.resetPassword')}
      submitTestId="reset-password-submit"
    >
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
    </ModalForm>
  );
}
