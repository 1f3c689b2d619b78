import { PasswordInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { AuthForm, AuthLayout } from '../components/auth-layout.tsx';
import { useFieldForm } from '../components/field-form.ts';
import { securityApi } from '../features/security/api.ts';
import { useSecurityT } from '../features/security/text.ts';
import { TotpLoginStep } from '../features/security/totp-login-step.tsx';
import { useSession } from '../session/session-context.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const { t: ts } = useSecurityT();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const { values, setValue, field, submit, submission } = useFieldForm({ email: '', password: '' });
  const { email, password } = values;
  // Accounts with two-factor sign-in answer the password with `totp_required`: the code step follows.
  const [askCode, setAskCode] = useState(false);

  function enter(user: User) {
    const from = (location.state as { from?: string } | null)?.from;
    signedIn(user);
    navigate(from?.startsWith('/') ? from : '/inbox', { replace: true });
  }

  const signIn = () =>
    submit(async () => {
      try {
        enter((await securityApi.login({ email: email.trim(), password })).user);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'totp_required')) throw err;
        setAskCode(true);
      }
    });

  if (askCode) {
    return (
      <AuthLayout title={ts('login.title')} subtitle={ts('login.subtitle')}>
        <TotpLoginStep
          email={email.trim()}
          password={password}
          onSignedIn={enter}
          onBack={() => {
            setAskCode(false);
            setValue('password', '');
          }}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('login.title')} subtitle={t('login.subtitle')}>
      <AuthForm onSubmit={signIn} submission={submission} disabled={!email || !password} submitLabel={t('login.submit')} testId="login">
        <TextInput
          label={t('fields.email')}
          type="email"
          autoComplete="username"
          required
          autoFocus
          {...field('email')}
          data-testid="login-email"
        />
        <PasswordInput
          label={t('fields.password')}
          autoComplete="current-password"
          required
          {...field('password')}
          data-testid="login-password"
        />
      </AuthForm>
    </AuthLayout>
  );
}
