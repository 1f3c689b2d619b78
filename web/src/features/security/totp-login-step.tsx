import { Anchor, Button, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { securityApi } from './api.ts';
import { securityErrorText, useSecurityT } from './text.ts';
import { TotpCodeInput, isTotpCode } from './totp-code-input.tsx';
import type { SecurityUser } from './types.ts';

interface TotpLoginStepProps {
  email: string;
  password: string;
  onSignedIn(user: SecurityUser): void;
  onBack(): void;
}

/**
 * The second step of signing in, on the same page: the password was right and the account has
 * two-factor sign-in, so the same credentials are sent again with the app's current code.
 */
export function TotpLoginStep({ email, password, onSignedIn, onBack }: TotpLoginStepProps) {
  const { t } = useSecurityT();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!isTotpCode(code)) return;
    setBusy(true);
    setError(null);
    try {
      const { user } = await securityApi.login({ email, password, totp: code });
      onSignedIn(user);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (err instanceof ApiError && err.code === 'totp_invalid') setCode('');
    }
  }

  const wrongCode = error instanceof ApiError && error.code === 'totp_invalid';
  const codeError = (wrongCode ? securityErrorText(t, error) : null) ?? (touched && !isTotpCode(code) ? t('twoFactor.codeFormat') : null);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="login-totp-step">
      <Stack gap="sm">
        {wrongCode ? null : <ErrorAlert error={error} testId="login-error" />}
        <Text size="sm" c="dimmed" data-testid="login-totp-account">
          {t('login.account', { email })}
        </Text>
        <TotpCodeInput
          label={t('login.code')}
          value={code}
          onChange={(value) => {
            setCode(value);
            if (wrongCode) setError(null);
          }}
          error={codeError}
          autoFocus
          testId="login-totp"
        />
        <Button type="submit" loading={busy} fullWidth mt="xs" data-testid="login-totp-submit">
          {t('login.verify')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('login.lostPhone')}
        </Text>
        <Anchor component="button" type="button" size="sm" onClick={onBack} data-testid="login-totp-back">
          <IconArrowLeft size={14} style={{ verticalAlign: 'middle', marginRight: 4 }} />
          {t('login.back')}
        </Anchor>
      </Stack>
    </form>
  );
}
