import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import { useSigninT } from './text.ts';

interface SigninIdentityProps {
  expected: string;
  signedIn: string;
  /** An admin already agreed to the difference. */
  confirmed: boolean;
  isAdmin: boolean;
  busy: boolean;
  onConfirm(): void;
  onSignInAgain(): void;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whom the provider signed in: the mailbox's own account, or another one that only an admin may accept. */
export function SigninIdentity({ expected, signedIn, confirmed, isAdmin, busy, onConfirm, onSignInAgain }: SigninIdentityProps) {
  const { t } = useSigninT();
  if (same(expected, signedIn) || confirmed) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="signin-identity" data-email={signedIn}>
        {t('wizard.signedInAs', { email: signedIn })}
      </Alert>
    );
  }
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('wizard.mismatchTitle', { signedIn, expected })}
      data-testid="signin-mismatch"
      data-email={signedIn}
    >
      <Text size="sm">{isAdmin ? t('wizard.mismatchAdminBody', { signedIn, expected }) : t('wizard.mismatchBody')}</Text>
      <Group gap="xs" mt="xs">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          onClick={onSignInAgain}
          disabled={busy}
          data-testid="signin-again"
        >
          {t('wizard.signInAgain')}
        </Button>
        {isAdmin ? (
          <Button size="xs" color="orange" onClick={onConfirm} loading={busy} data-testid="signin-confirm-mismatch">
            {t('wizard.confirmMismatch', { signedIn })}
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
