import { Alert, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { mailboxesApi } from '../mailboxes/api.ts';
import type { Provider } from '../mailboxes/types.ts';
import { resolveProviderId, applyPrefill, CARDS, initialForm, passwordKind, prefill, type WizardForm } from '../mailboxes/wizard-state.ts';
import { signinApi } from './api.ts';
import { ProviderIcon } from './signin-panel.tsx';
import { SigninErrorAlert } from './signin-error.tsx';
import { useSigninT } from './text.ts';
import type { SigninInvitation } from './types.ts';
import type { SigninState } from './use-signin-flow.ts';

interface InvitationCardProps {
  invitationId: string;
  providers: Provider[];
  ownerUserId: string;
  defaultSyncIntervalMinutes: number;
  state: SigninState;
  onStart(invitation: SigninInvitation, form: WizardForm): void;
}

/** The wizard's form for an invited mailbox: the card and servers the address points to, owned by the invited user. */
async function invitedForm(
  invitation: SigninInvitation,
  providers: Provider[],
  ownerUserId: string,
  interval: number,
): Promise<WizardForm> {
  const discovery = await mailboxesApi.discover(invitation.email).catch(() => null);
  const card = invitation.provider === 'google' ? 'gmail' : discovery?.provider?.id === 'outlook' ? 'outlook' : 'microsoft';
  const base: WizardForm = { ...initialForm(interval), card, email: invitation.email, ownerUserId };
  const providerId = resolveProviderId(base, discovery);
  const provider = providers.find((p) => p.id === providerId) ?? null;
  const known = CARDS.find((c) => c.key === card)?.providerIds.includes(providerId) ?? false;
  return applyPrefill(
    { ...base, providerId: known ? providerId : 'custom', authKind: passwordKind(provider) },
    prefill(provider, discovery),
  );
}

/** What the owner sees when opening an admin's sign-in link: whose mailbox, and the button that binds it. */
export function InvitationCard({ invitationId, providers, ownerUserId, defaultSyncIntervalMinutes, state, onStart }: InvitationCardProps) {
  const { t } = useSigninT();
  const query = useQuery({
    queryKey: ['signin-invitation', invitationId, providers.length],
    queryFn: async () => {
      const invitation = await signinApi.invitation(invitationId);
      return { invitation, form: await invitedForm(invitation, providers, ownerUserId, defaultSyncIntervalMinutes) };
    },
    enabled: providers.length > 0,
    retry: false,
  });

  if (query.isPending) {
    return (
      <Paper withBorder p="md" mb="md">
        <Loader size="sm" />
      </Paper>
    );
  }
  if (query.isError || !query.data || query.data.invitation.usedAt || Date.parse(query.data.invitation.expiresAt) < Date.now()) {
    return (
      <Alert
        color="yellow"
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={t('invite.invalid')}
        mb="md"
        data-testid="invitation-invalid"
      >
        {t('invite.invalidBody')}
      </Alert>
    );
  }
  const { invitation, form } = query.data;
  const provider = t(`providers.${invitation.provider}`);
  const busy = state.phase === 'starting' || state.phase === 'redirecting' || state.phase === 'waiting';
  return (
    <Paper withBorder p="md" mb="md" data-testid="invitation-card" data-email={invitation.email}>
      <Stack gap="sm">
        <Group gap="xs">
          <ProviderIcon provider={invitation.provider} size={20} />
          <Text fw={600}>{t('invite.pageTitle')}</Text>
        </Group>
        <Text size="sm">{t('invite.pageGeneric', { provider, email: invitation.email })}</Text>
        {state.phase === 'failed' ? <SigninErrorAlert code={state.code} error={state.error} /> : null}
        {state.phase === 'waiting' ? (
          <Text size="sm" c="dimmed">
            {t('wizard.waitingPopup')}
          </Text>
        ) : null}
        <Group>
          <Button
            leftSection={<ProviderIcon provider={invitation.provider} />}
            onClick={() => onStart(invitation, form)}
            loading={busy}
            data-testid="invitation-signin"
          >
            {t(`wizard.signInWith.${invitation.provider}`)}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
