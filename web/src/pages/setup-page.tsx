import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { setupApi } from '../api/endpoints.ts';
import { fieldErrors } from '../api/problem-text.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { MIN_PASSWORD_LENGTH, confirmError, emailError, passwordError, requiredError } from '../components/validation.ts';
import { useSession } from '../session/session-context.tsx';

export function SetupPage() {
  const { t } = useTranslation();
  const { signedIn, reload } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const errors = {
    email: emailError(t, email),
    name: requiredError(t, name),
    password: passwordError(t, password),
    confirm: confirmError(t, password, confirm),
  };
  const server = fieldErrors(error);
  const valid = Object.values(errors).every((e) => e === null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      const { user } = await setupApi.create({ email: email.trim(), name: name.trim(), password });
      signedIn(user);
      navigate('/inbox', { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'setup_done') {
        // Someone else finished setup first: the normal sign-in page is the way in now.
        await reload();
        navigate('/login', { replace: true });
        return;
      }
      setError(err);
    }
  }

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={error} testId="setup-error" />
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
          <PasswordInput
            label={t('fields.password')}
            description={t('setup.passwordHint', { min: MIN_PASSWORD_LENGTH })}
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={(touched && errors.password) || server.password}
            data-testid="setup-password"
          />
          <PasswordInput
            label={t('fields.confirmPassword')}
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={touched && errors.confirm}
            data-testid="setup-confirm"
          />
          <Button type="submit" loading={busy} fullWidth mt="xs" data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
