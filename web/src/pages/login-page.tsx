import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
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
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Accounts with two-factor sign-in answer the password with `totp_required`: the code step follows.
  const [askCode, setAskCode] = useState(false);

  function enter(user: User) {
    const from = (location.state as { from?: string } | null)?.from;
    signedIn(user);
    navigate(from?.startsWith('/') ? from : '/inbox', { replace: true });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await securityApi.login({ email: email.trim(), password });
      enter(user);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'totp_required') setAskCode(true);
      else setError(err);
    }
  }

  if (askCode) {
    return (
      <AuthLayout title={ts('login.title')} subtitle={ts('login.subtitle')}>
        <TotpLoginStep
          email={email.trim()}
          password={password}
          onSignedIn={enter}
          onBack={() => {
            setAskCode(false);
            setPassword('');
          }}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('login.title')} subtitle={t('login.subtitle')}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={error} testId="login-error" />
          <TextInput
            label={t('fields.email')}
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-testid="login-email"
          />
          <PasswordInput
            label={t('fields.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="login-password"
          />
          <Button type="submit" loading={busy} disabled={!email || !password} fullWidth mt="xs" data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
