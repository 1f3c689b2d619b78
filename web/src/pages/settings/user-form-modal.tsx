import { Modal, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import { fieldErrors } from '../../api/problem-text.ts';
import type { Role, User } from '../../api/types.ts';
import { ModalForm, useFormSubmit } from '../../components/modal-form.tsx';
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
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'member');
  const [team, setTeam] = useState(user?.team ?? '');
  const [password, setPassword] = useState('');

  const submission = useFormSubmit();
  const { touched, error, submit } = submission;

  const errors = {
    name: requiredError(t, name),
    email: user ? null : emailError(t, email),
    password: user ? null : passwordError(t, password),
  };
  const server = fieldErrors(error);

  const save = () =>
    submit(
      Object.values(errors).every((e) => e === null),
      async () => {
        const result = user
          ? await usersApi.update(user.id, { name: name.trim(), role, team: team.trim() || null })
          : await usersApi.create({ email: email.trim(), name: name.trim(), role, password, team: team.trim() || null });
        onSaved(result.user, !user);
      },
    );

  return (
    <ModalForm submission={submission} onSubmit={save} onCancel={onClose} creating={!user} submitTestId="user-form-submit">
      {user ? null : (
        <TextInput
          label={t('fields.email')}
          type="email"
          required
          data-autofocus
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={(touched && errors.email) || server.email}
          data-testid="user-form-email"
        />
      )}
      <TextInput
        label={t('fields.name')}
        required
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={(touched && errors.name) || server.name}
        data-testid="user-form-name"
      />
      <Select
        label={t('fields.role')}
        data={[
          { value: 'member', label: t('roles.member') },
          { value: 'admin', label: t('roles.admin') },
        ]}
        value={role}
        onChange={(value) => setRole(value === 'admin' ? 'admin' : 'member')}
        allowDeselect={false}
        data-testid="user-form-role"
      />
      <TextInput
        label={t('fields.team')}
        description={t('users.teamHint')}
        maxLength={80}
        value={team}
        onChange={(e) => setTeam(e.currentTarget.value)}
        error={server.team}
        data-testid="user-form-team"
      />
      {user ? null : (
        <NewPasswordInput
          required
          value={password}
          onChange={setPassword}
          error={(touched && errors.password) || server.password}
          testId="user-form-password"
        />
      )}
    </ModalForm>
  );
}
