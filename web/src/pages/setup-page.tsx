import { TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { setupApi } from '../api/endpoints.ts';
import { fieldErrors } from '../api/problem-text.ts';
import { AuthForm, AuthLayout } from '../components/auth-layout.tsx';
import { useFormSubmit } from '../components/modal-form.tsx';
import { ConfirmPasswordInput, NewPasswordInput } from '../components/password-inputs.tsx';
import { confirmError, emailError, passwordError, requiredError } from '../components/validation.ts';
import { useSession } from '../session/session-context.tsx';

export function SetupPage() {
  const { t } = useTranslation();
  const { signedIn, reload } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const submission = useFormSubmit();
  const { touched, error, submit } = submission;

  const errors = {
    email: emailError(t, email),
    name: requiredError(t, name),
    password: passwordError(t, password),
    confirm: confirmError(t, password, confirm),
  };
  const server = fieldErrors(error);

  const create = () =>
    submit(
      Object.values(errors).every((e) => e === null),
      async () => {
        try {
          const { user } = await setupApi.create({ email: email.trim(), name: name.trim(), password });
          signedIn(user);
          navigate('/inbox', { replace: true });
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 'setup_done')) throw err;
          // Someone else finished setup first: the normal sign-in page is the way in now.
          await reload();
          navigate('/login', { replace: true });
        }
      },
    );

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <AuthForm onSubmit={create} submission={submission} submitLabel={t('setup.submit')} testId="setup">
        <TextInput
          label={t('fields.name')}
          autoComplete="name"
          required
          autoFocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={(touched && errors.name) || server.name}
          data-testid="setup-name"
        />
        <TextInput
          label={t('fields.email')}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={(touched && errors.email) || server.email}
          data-testid="setup-email"
        />
        <NewPasswordInput
          required
          value={password}
          onChange={setPassword}
          error={(touched && errors.password) || server.password}
          testId="setup-password"
        />
        <ConfirmPasswordInput required value={confirm} onChange={setConfirm} error={touched && errors.confirm} testId="setup-confirm" />
      </AuthForm>
    </AuthLayout>
  );
}
