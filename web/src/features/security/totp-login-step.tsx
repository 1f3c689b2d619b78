import { Anchor, Button, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { IconArrowLeft } from '@tabler/icons-react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { StackForm } from '../../components/stack-form.tsx';
import { securityApi } from './api.ts';
import { useSecurityT } from './text.ts';
import { TotpCodeInput } from './totp-code-input.tsx';
import { useTotpForm } from './use-totp-form.ts';
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
  // A lost phone: one of the recovery codes shown when two-factor was turned on stands in for the app's code.
  const [recovery, setRecovery] = useState(false);
  const { code, setCode, busy, error, setError, wrongCode, codeError, sendCode } = useTotpForm(
    async (totp) => {
      onSignedIn((await securityApi.login({ email, password, totp })).user);
    },
    { allowRecovery: recovery },
  );
  const onCodeChange = (value: string) => {
    setCode(value);
    if (wrongCode) setError(null);
  };

  return (
    <StackForm onSubmit={sendCode} testId="login-totp-step">
      {wrongCode ? null : <ErrorAlert error={error} testId="login-error" />}
      <Text size="sm" c="dimmed" data-testid="login-totp-account">
        {t('login.account', { email })}
      </Text>
      {recovery ? (
        <TextInput
          label={t('login.recoveryCode')}
          value={code}
          onChange={(e) => onCodeChange(e.currentTarget.value)}
          error={codeError}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          data-testid="login-recovery-code"
        />
      ) : (
        <TotpCodeInput label={t('login.code')} value={code} onChange={onCodeChange} error={codeError} autoFocus testId="login-totp" />
      )}
      <Button type="submit" loading={busy} fullWidth mt="xs" data-testid="login-totp-submit">
        {t('login.verify')}
      </Button>
      <Anchor
        component="button"
        type="button"
        size="sm"
        onClick={() => {
          setRecovery(!recovery);
          setCode('');
          setError(null);
        }}
        data-testid="login-use-recovery"
      >
        {recovery ? t('login.useApp') : t('login.useRecovery')}
      </Anchor>
      <Text size="xs" c="dimmed">
        {t('login.lostPhone')}
      </Text>
      <Anchor component="button" type="button" size="sm" onClick={onBack} data-testid="login-totp-back">
        <IconArrowLeft size={14} style={{ verticalAlign: 'middle', marginRight: 4 }} />
        {t('login.back')}
      </Anchor>
    </StackForm>
  );
}
