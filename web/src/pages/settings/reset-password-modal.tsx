import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import type { User } from '../../api/types.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { ConfirmPasswordInput, NewPasswordInput } from '../../components/password-inputs.tsx';
import { confirmError, passwordError } from '../../components/validation.ts';
import { RecordModal } from '../../components/record-modal.tsx';

interface ResetPasswordModalProps {
  user: User | null;
  onClose(): void;
  onDone(user: User): void;
}

export function ResetPasswordModal({ user, onClose, onDone }: ResetPasswordModalProps) {
  const { t } = useTranslation();
  return (
    <RecordModal record={user} onClose={onClose} title={(u) => t('users.resetTitle', { name: u.name })} testId="reset-password-modal">
      {(u) => <ResetPasswordForm key={u.id} user={u} onClose={onClose} onDone={onDone} />}
    </RecordModal>
  );
}

function ResetPasswordForm({ user, onClose, onDone }: { user: User; onClose(): void; onDone(user: User): void }) {
  const { t } = useTranslation();
  const { field, submit, submission } = useFieldForm({ password: '', confirm: '' }, (v) => ({
    password: passwordError(t, v.password),
    confirm: confirmError(t, v.password, v.confirm),
  }));

  const save = () =>
    submit(async ({ password }) => {
      onDone((await usersApi.update(user.id, { password })).user);
    });

  return (
    <ModalForm
      submission={submission}
      onSubmit={save}
      onCancel={onClose}
      submitLabel={t('users.resetPassword')}
      submitTestId="reset-password-submit"
    >
      <Text size="sm" c="dimmed">
        {t('users.resetHint')}
      </Text>
      <NewPasswordInput label={t('fields.newPassword')} autoFocus {...field('password')} data-testid="reset-password-new" />
      <ConfirmPasswordInput {...field('confirm')} data-testid="reset-password-confirm" />
    </ModalForm>
  );
}
