import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { setupApi } from '../api/endpoints.ts';
import { AuthForm, AuthLayout } from '../components/auth-layout.tsx';
import { useFieldForm } from '../components/field-form.ts';
import { ConfirmPasswordInput, NewPasswordInput } from '../components/password-inputs.tsx';
import { confirmError, emailError, passwordError, requiredError } from '../components/validation.ts';
import { useSession } from '../session/session-context.tsx';

export function SetupPage() {
  const { t } = useTranslation();
  const { signedIn, reload } = useSession();
  const navigate = useNavigate();
  const { field, submit, submission } = useFieldForm({ email: '', name: '', password: '', confirm: '' }, (v) => ({
    email: emailError(t, v.email),
    name: requiredError(t, v.name),
    password: passwordError(t, v.password),
    confirm: confirmError(t, v.password, v.confirm),
  }));

  const create = () =>
    submit(async ({ email, name, password }) => {
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
    });

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <AuthForm onSubmit={create} submission={submission} submitLabel={t('setup.submit')} testId="setup">
        <TextInput label={t('fields.name')} autoComplete="name" required autoFocus {...field('name')} data-testid="setup-name" />
        <TextInput label={t('fields.email')} type="email" autoComplete="username" required {...field('email')} data-testid="setup-email" />
        <NewPasswordInput required {...field('password')} data-testid="setup-password" />
        <ConfirmPasswordInput required {...field('confirm')} data-testid="setup-confirm" />
      </AuthForm>
    </AuthLayout>
  );
}
