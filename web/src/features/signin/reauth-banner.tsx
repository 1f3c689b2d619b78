import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { SigninErrorAlert } from './signin-error.tsx';
import { useSigninT } from './text.ts';
import type { SigninState } from './use-signin-flow.ts';

interface ReauthBannerProps {
  state: SigninState;
  email: string | null;
  onReopen(): void;
  onDismiss(): void;
}

/** "Sign in again" in progress or failed, above the mailbox list; a success is a notification instead. */
export function ReauthBanner({ state, email, onReopen, onDismiss }: ReauthBannerProps) {
  const { t } = useSigninT();
  if (state.phase === 'starting' || state.phase === 'redirecting' || state.phase === 'waiting') {
    return (
      <Alert color="indigo" variant="light" mb="sm" data-testid="reauth-waiting">
        <Group gap="sm">
          <Loader size="xs" />
          <Text size="sm">{state.phase === 'waiting' ? t('wizard.waitingPopup') : t('reauth.waiting', { email: email ?? '' })}</Text>
          {state.phase === 'waiting' ? (
            <>
              <Button variant="subtle" size="compact-sm" onClick={onReopen}>
                {t('wizard.reopenPopup')}
              </Button>
              <Button variant="subtle" size="compact-sm" color="gray" onClick={onDismiss}>
                {t('wizard.cancel')}
              </Button>
            </>
          ) : null}
        </Group>
      </Alert>
    );
  }
  const code =
    state.phase === 'failed'
      ? state.code
      : state.phase === 'done' && state.flow.addressMatches === false
        ? 'oauth_address_mismatch'
        : undefined;
  if (code === undefined) return null;
  return (
    <SigninErrorAlert code={code} error={state.phase === 'failed' ? state.error : null} testId="reauth-error">
      <Button size="xs" variant="default" mt="xs" onClick={onDismiss}>
        {t('wizard.cancel')}
      </Button>
    </SigninErrorAlert>
  );
}
