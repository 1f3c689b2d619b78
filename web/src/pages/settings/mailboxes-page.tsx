import { Alert, Button, Center, EmptyState, Group, Loader, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconInfoCircle, IconMailbox, IconPlus, IconSend } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { useListQuery } from '../../api/use-list-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import { mailboxesApi } from '../../features/mailboxes/api.ts';
import { BindWizard, type WizardResume } from '../../features/mailboxes/bind-wizard.tsx';
import { MailboxPasswordModal } from '../../features/mailboxes/mailbox-password-modal.tsx';
import { MailboxSettingsModal } from '../../features/mailboxes/mailbox-settings-modal.tsx';
import { MailboxTestModal } from '../../features/mailboxes/mailbox-test-modal.tsx';
import { MailboxesTable, type MailboxAction } from '../../features/mailboxes/mailboxes-table.tsx';
import { useMailboxesT } from '../../features/mailboxes/text.ts';
import type { Mailbox, Provider } from '../../features/mailboxes/types.ts';
import type { WizardForm } from '../../features/mailboxes/wizard-state.ts';
import { InvitationCard } from '../../features/signin/invitation-card.tsx';
import { type InviteDefaults, InviteModal } from '../../features/signin/invite-modal.tsx';
import { MailboxesTabs } from '../../features/signin/mailboxes-tabs.tsx';
import { signinProviderOf } from '../../features/signin/provider-kind.ts';
import { ReauthBanner } from '../../features/signin/reauth-banner.tsx';
import { useSigninT } from '../../features/signin/text.ts';
import type { SigninFlow } from '../../features/signin/types.ts';
import { useSigninFlow } from '../../features/signin/use-signin-flow.ts';
import { useSigninReturn } from '../../features/signin/use-signin-return.ts';
import { useCurrentUser } from '../../session/session-context.tsx';

const NO_PROVIDERS: Provider[] = [];

/** The sign-in popup, back from the provider: it told the wizard, and closes. */
function SigninPopupDone() {
  const { t } = useSigninT();
  return (
    <Center h="60vh">
      <Group gap="xs" data-testid="signin-popup-done">
        <IconCircleCheck size={20} color="var(--mantine-color-teal-6)" />
        <Text>{t('return.popupDone')}</Text>
      </Group>
    </Center>
  );
}

/** Settings › Mailboxes (邮箱配置): the bound mailboxes and the binding wizard. */
export function MailboxesPage() {
  const [returned] = useSigninReturn();
  if (returned.kind === 'popup-done') return <SigninPopupDone />;
  return <MailboxesList returned={returned} />;
}

function MailboxesList({ returned }: { returned: ReturnType<typeof useSigninReturn>[0] }) {
  const { t } = useMailboxesT();
  const { t: ts } = useSigninT();
  const [params, setParams] = useSearchParams();
  const invitationId = params.get('invitation');
  const me = useCurrentUser();
  const isAdmin = me.role === 'admin';
  const list = useListQuery<Mailbox>(['mailboxes'], mailboxesApi.list);
  const mailboxes = list.items;
  const providersQuery = useQuery({ queryKey: ['providers'], queryFn: async () => (await mailboxesApi.providers()).items });
  const providers = providersQuery.data ?? NO_PROVIDERS;
  const workspaceQuery = useQuery({ queryKey: ['workspace-settings'], queryFn: async () => (await mailboxesApi.workspace()).settings });
  const workspace = workspaceQuery.data ?? null;
  // A failed pause or resume shows where a failed load does.
  const [actionError, setActionError] = useState<unknown>(null);
  const loadError = list.error ?? providersQuery.error ?? actionError;
  const [wizardOpen, setWizardOpen] = useState(false);
  const [testing, setTesting] = useState<Mailbox | null>(null);
  const [editing, setEditing] = useState<Mailbox | null>(null);
  const [changingPassword, setChangingPassword] = useState<Mailbox | null>(null);
  const [unbinding, setUnbinding] = useState<Mailbox | null>(null);
  const unbindingShown = useLastNonNull(unbinding);

  const mayBind = isAdmin || workspace?.membersCanBindMailboxes === true;
  const [resume, setResume] = useState<WizardResume | null>(null);
  const [inviting, setInviting] = useState<InviteDefaults | null>(null);
  const [reauthEmail, setReauthEmail] = useState<string | null>(null);
  const inviteForm = useRef<WizardForm | null>(null);
  const reauth = useSigninFlow(signedInAgain);
  const invitation = useSigninFlow((flow) => {
    if (inviteForm.current) openResumed({ flowId: flow.id, errorCode: null, form: inviteForm.current });
  });

  function openResumed(next: WizardResume) {
    setResume(next);
    setWizardOpen(true);
  }

  function signedInAgain(flow: SigninFlow) {
    if (flow.addressMatches === false) return; // the banner explains; nothing was changed
    reauth.reset();
    void list.reload();
    notifications.show({
      color: 'teal',
      message:
        flow.purpose === 'reauth'
          ? ts('reauth.done', { email: flow.signedInEmail ?? '' })
          : ts('return.signedIn', { email: flow.signedInEmail ?? '' }),
    });
  }

  // Back from the provider in this tab: reopen the wizard where it was, or finish a "Sign in again".
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per return from the provider
  useEffect(() => {
    if (returned.kind !== 'resume') return;
    const context = returned.pending?.context;
    if (context?.purpose === 'bind') {
      openResumed({ flowId: returned.id, errorCode: returned.errorCode, form: context.form });
    } else {
      setReauthEmail(context?.purpose === 'reauth' ? context.email : null);
      reauth.adopt(returned.id, returned.errorCode);
    }
  }, [returned]);

  function signInAgain(mailbox: Mailbox) {
    const provider = signinProviderOf(providers.find((p) => p.id === mailbox.providerId) ?? null);
    if (!provider) return;
    setReauthEmail(mailbox.email);
    reauth.start(
      { provider, email: mailbox.email, purpose: 'reauth', mailboxId: mailbox.id },
      { purpose: 'reauth', mailboxId: mailbox.id, email: mailbox.email },
    );
  }

  function closeInvitation() {
    setParams(
      (p) => {
        p.delete('invitation');
        return p;
      },
      { replace: true },
    );
  }

  const replace = (mailbox: Mailbox) => list.upsert(mailbox);

  async function setPaused(mailbox: Mailbox, paused: boolean) {
    try {
      const { mailbox: updated } = await mailboxesApi.update(mailbox.id, { paused });
      replace(updated);
      notifications.show({
        color: paused ? 'gray' : 'teal',
        message: t(paused ? 'notify.paused' : 'notify.resumed', { email: mailbox.email }),
      });
    } catch (err) {
      setActionError(err);
    }
  }

  async function syncNow(mailbox: Mailbox) {
    try {
      await mailboxesApi.syncNow(mailbox.id);
      notifications.show({ color: 'teal', message: t('notify.syncStarted', { email: mailbox.email }) });
    } catch (err) {
      // Sync switched off (503) or not served by this server (404): say so instead of a bare error.
      if (err instanceof ApiError && (err.status === 404 || err.status === 501 || err.status === 503)) {
        notifications.show({ color: 'yellow', message: t('notify.syncUnavailable') });
      } else if (err instanceof ApiError && err.status === 403) {
        notifications.show({ color: 'yellow', message: t('notify.syncOwnerOnly') });
      } else {
        setActionError(err);
      }
    }
  }

  function act(mailbox: Mailbox, action: MailboxAction) {
    if (action === 'test') setTesting(mailbox);
    else if (action === 'settings') setEditing(mailbox);
    else if (action === 'password') setChangingPassword(mailbox);
    else if (action === 'signin') signInAgain(mailbox);
    else if (action === 'pause' || action === 'resume') void setPaused(mailbox, action === 'pause');
    else if (action === 'sync') void syncNow(mailbox);
    else setUnbinding(mailbox);
  }

  const bindButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setWizardOpen(true)} disabled={!mayBind} data-testid="mailboxes-bind">
      {t('bind')}
    </Button>
  );

  const inviteButton = isAdmin ? (
    <Button variant="default" leftSection={<IconSend size={16} />} onClick={() => setInviting({})} data-testid="mailboxes-invite">
      {ts('invite.action')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          <>
            {inviteButton}
            {mailboxes?.length ? bindButton : null}
          </>
        }
      />
      <MailboxesTabs active="mailboxes" />
      {invitationId ? (
        <InvitationCard
          invitationId={invitationId}
          providers={providers}
          ownerUserId={me.id}
          defaultSyncIntervalMinutes={workspace?.defaultSyncIntervalMinutes ?? 5}
          state={invitation.state}
          onStart={(inv, form) => {
            inviteForm.current = form;
            invitation.start({ provider: inv.provider, purpose: 'bind', invitationId: inv.id }, { purpose: 'bind', form });
          }}
        />
      ) : null}
      <ReauthBanner state={reauth.state} email={reauthEmail} onReopen={reauth.reopen} onDismiss={reauth.reset} />
      {workspace && !mayBind ? (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} mb="sm" data-testid="mailboxes-members-cannot-bind">
          {t('membersCannotBind')}
        </Alert>
      ) : null}
      <ErrorAlert error={loadError} testId="mailboxes-error" />
      <Paper withBorder mt={loadError ? 'sm' : 0}>
        {mailboxes === null && !loadError ? (
          <Group justify="center" p="xl">
            <Loader size="sm" />
          </Group>
        ) : mailboxes && mailboxes.length === 0 ? (
          <EmptyState
            icon={<IconMailbox size={28} />}
            variant="light"
            title={t('empty.title')}
            description={t('empty.body')}
            size="sm"
            py="xl"
            data-testid="mailboxes-empty"
          >
            <EmptyState.Actions>{bindButton}</EmptyState.Actions>
          </EmptyState>
        ) : (
          <MailboxesTable mailboxes={mailboxes ?? []} providers={providers} onAction={act} />
        )}
      </Paper>

      <BindWizard
        opened={wizardOpen}
        resume={resume}
        onClose={() => {
          setWizardOpen(false);
          setResume(null);
        }}
        providers={providers}
        me={me}
        defaultSyncIntervalMinutes={workspace?.defaultSyncIntervalMinutes ?? 5}
        onSaved={(mailbox) => {
          replace(mailbox);
          setWizardOpen(false);
          setResume(null);
          if (invitationId) closeInvitation();
          notifications.show({ color: 'teal', message: t('notify.bound', { email: mailbox.email }) });
        }}
      />
      <MailboxTestModal mailbox={testing} onClose={() => setTesting(null)} onChanged={() => void list.reload()} />
      <InviteModal opened={inviting !== null} defaults={inviting ?? {}} onClose={() => setInviting(null)} />
      <MailboxSettingsModal
        mailbox={editing}
        onClose={() => setEditing(null)}
        onSignInAgain={(mailbox) => {
          setEditing(null);
          signInAgain(mailbox);
        }}
        onSaved={(mailbox) => {
          replace(mailbox);
          setEditing(null);
          notifications.show({ color: 'teal', message: t('notify.settingsSaved') });
        }}
      />
      <MailboxPasswordModal
        mailbox={changingPassword}
        providers={providers}
        isAdmin={isAdmin}
        onClose={() => setChangingPassword(null)}
        onSaved={(mailbox) => {
          replace(mailbox);
          setChangingPassword(null);
          notifications.show({ color: 'teal', message: t('notify.passwordChanged') });
        }}
      />
      <ConfirmModal
        opened={unbinding !== null}
        title={unbindingShown ? t('unbind.title', { email: unbindingShown.email }) : ''}
        body={t('unbind.body')}
        confirmLabel={t('actions.unbind')}
        onConfirm={async () => {
          if (!unbinding) return;
          await mailboxesApi.remove(unbinding.id);
          list.remove(unbinding.id);
          notifications.show({ color: 'gray', message: t('notify.unbound', { email: unbinding.email }) });
        }}
        onClose={() => setUnbinding(null)}
        testId="mailbox-unbind-modal"
      />
    </>
  );
}
