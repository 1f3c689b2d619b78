import { Modal, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import type { Role, User } from '../../api/types.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { NewPasswordInput } from '../../components/password-inputs.tsx';
import { emailError, passwordError, requiredError } from '../../components/validation.ts';

interface UserFormModalProps {
  /** Absent: create a user. Present: edit that user's name, role and team. */
  user: User | null;
  opened: boolean;
  onClose(): void;
  onSaved(user: User, created: boolean): void;
}

export function UserFormModal({ user, opened, onClose, onSaved }: UserFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={user ? t('users.editTitle') : t('users.createTitle')} data-testid="user-form-modal">
      {/* The modal unmounts its content once closed, so each opening starts from the user's current values. */}
      <UserForm key={user?.id ?? 'new'} user={user} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}

function UserForm({ user, onClose, onSaved }: Omit<UserFormModalProps, 'opened'>) {
  const { t } = useTranslation();
  const { values, setValue, field, submit, submission } = useFieldForm(
    { email: user?.email ?? '', name: user?.name ?? '', role: user?.role ?? ('member' as Role), team: user?.team ?? '', password: '' },
    (v) => ({
      name: requiredError(t, v.name),
      email: user ? null : emailError(t, v.email),
      password: user ? null : passwordError(t, v.password),
    }),
  );

  const save = () =>
    submit(async ({ email, name, role, team, password }) => {
      const result = user
        ? await usersApi.update(user.id, { name: name.trim(), role, team: team.trim() || null })
        : await usersApi.create({ email: email.trim(), name: name.trim(), role, password, team: team.trim() || null });
      onSaved(result.user, !user);
    });

  return (
    <ModalForm submission={submission} onSubmit={save} onCancel={onClose} creating={!user} submitTestId="user-form-submit">
      {user ? null : (
        <TextInput label={t('fields.email')} type="email" required data-autofocus {...field('email')} data-testid="user-form-email" />
      )}
      <TextInput label={t('fields.name')} required {...field('name')} data-testid="user-form-name" />
      <Select
        label={t('fields.role')}
        data={[
          { value: 'member', label: t('roles.member') },
          { value: 'admin', label: t('roles.admin') },
        ]}
        value={values.role}
        onChange={(value) => setValue('role', value === 'admin' ? 'admin' : 'member')}
        allowDeselect={false}
        data-testid="user-form-role"
      />
      <TextInput
        label={t('fields.team')}
        description={t('users.teamHint')}
        maxLength={80}
        {...field('team')}
        data-testid="user-form-team"
      />
      {user ? null : <NewPasswordInput required {...field('password')} data-testid="user-form-password" />}
    </ModalForm>
  );
}
