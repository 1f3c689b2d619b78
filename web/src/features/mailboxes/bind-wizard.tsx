import { Alert, Button, Group, Modal, Select, Stack, Stepper, Text, TextInput } from '@mantine/core';
import {
  IconAlertCircle,
  IconAlertTriangle,
  IconCircleCheck,
  IconArrowLeft,
  IconArrowRight,
  IconBulb,
  IconPlugConnected,
  IconRefresh,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useReducer, useRef } from 'react';
import { usersApi } from '../../api/endpoints.ts';
import type { User } from '../../api/types.ts';
import { emailError } from '../../components/validation.ts';
import { useTranslation } from 'react-i18next';
import { failedTestOf, mailboxesApi } from './api.ts';
import { signinApi } from '../signin/api.ts';
import { signinProviderOf } from '../signin/provider-kind.ts';
import { RequestErrorAlert } from '../signin/signin-error.tsx';
import { SigninIdentity } from '../signin/signin-identity.tsx';
import { SigninPanel } from '../signin/signin-panel.tsx';
import type { SigninFlow } from '../signin/types.ts';
import { useSigninFlow } from '../signin/use-signin-flow.ts';
import { ProviderPicker } from './provider-picker.tsx';
import { SettingsStep } from './settings-step.tsx';
import { SyncOptionsFields } from './sync-options-fields.tsx';
import { TestReport } from './test-report.tsx';
import { localText, useMailboxesT } from './text.ts';
import type { DiscoveryResult, Mailbox, Provider, TestResult } from './types.ts';
import { initialWizardState, resumedWizardState, wizardReducer } from './wizard-reducer.ts';
import { connectionInput, discoveredEwsUrl, settingsComplete, type WizardForm } from './wizard-state.ts';

interface BindWizardProps {
  opened: boolean;
  onClose(): void;
  onSaved(mailbox: Mailbox, test: TestResult): void;
  providers: Provider[];
  me: User;
  defaultSyncIntervalMinutes: number;
  /** The browser came back from signing in in this tab: go on with the remembered form and that sign-in. */
  resume?: WizardResume | null;
}

export interface WizardResume {
  flowId: string;
  errorCode: string | null;
  form: WizardForm;
}

/** 绑定邮箱: type → address → server settings → 测试连接 → sync options and save. */
export function BindWizard({ opened, onClose, ...rest }: BindWizardProps) {
  const { t } = useMailboxesT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('wizard.title')} size="56rem" closeOnClickOutside={false} data-testid="bind-wizard">
      {/* Content unmounts once closed, so every opening starts a fresh binding. */}
      <WizardBody onClose={onClose} {...rest} />
    </Modal>
  );
}

function WizardBody({ onClose, onSaved, providers, me, defaultSyncIntervalMinutes, resume }: Omit<BindWizardProps, 'opened'>) {
  const { t, i18n } = useMailboxesT();
  const { t: tc } = useTranslation();
  const isAdmin = me.role === 'admin';
  const [state, dispatch] = useReducer(wizardReducer, undefined, () =>
    resume ? resumedWizardState(resume.form) : initialWizardState(defaultSyncIntervalMinutes, me.id),
  );
  const { step, form, touched, discovery, discovering, discoverError, testing, result, testError, forced, saving, saveError } = state;
  const usersQuery = useQuery({ queryKey: ['users'], queryFn: () => usersApi.list(), enabled: isAdmin });
  const users = usersQuery.data?.items.filter((u) => u.active) ?? [];

  const patch = (p: Partial<WizardForm>) => dispatch({ type: 'patch', patch: p });
  const setStep = (next: number) => dispatch({ type: 'go', step: next });
  const provider = providers.find((p) => p.id === form.providerId) ?? null;
  const typeChosen = form.card !== null && (form.card !== 'other' || form.otherProviderId !== null);
  const addressError = emailError(tc, form.email);
  // EWS signs in with a password; Graph and IMAP with the provider's sign-in app where it has one.
  const signinProvider = form.protocol === 'ews' ? null : signinProviderOf(provider);
  // Graph needs a sign-in that asked for Graph's scopes; the server says which access a flow has.
  const access = form.protocol === 'graph' ? { access: 'graph' as const } : {};
  const ewsUrlFound = form.ewsUrl !== '' && (form.ewsUrl === discoveredEwsUrl(discovery) || form.ewsUrl === result?.imap.url);
  const appsQuery = useQuery({
    queryKey: ['signin-apps'],
    queryFn: async () => (await signinApi.apps()).items,
    enabled: isAdmin && signinProvider !== null,
  });
  const appMissing = appsQuery.data?.some((a) => a.provider === signinProvider && !a.configured) === true;
  const signin = useSigninFlow(signedIn);

  // Back from the provider in this tab: the sign-in's outcome decides where the wizard goes on.
  const adopted = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the sign-in this wizard was opened with
  useEffect(() => {
    if (!resume || adopted.current) return;
    adopted.current = true;
    signin.adopt(resume.flowId, resume.errorCode);
  }, []);

  function signedIn(flow: SigninFlow) {
    dispatch({ type: 'signed-in', flow });
    const next: WizardForm = {
      ...form,
      authKind: 'oauth2',
      password: '',
      signinId: flow.id,
      signedInEmail: flow.signedInEmail,
      confirmAddressMismatch: false,
    };
    // A different account waits at the test step for an admin's word (or a new sign-in) before any test.
    if (flow.addressMatches === false) dispatch({ type: 'go', step: 3 });
    else void runTest(next);
  }

  function startSignin() {
    if (!signinProvider) return;
    const input = {
      provider: signinProvider,
      email: form.email.trim(),
      purpose: 'bind' as const,
      ...access,
      ...(form.ownerUserId && { ownerUserId: form.ownerUserId }),
    };
    signin.start(input, { purpose: 'bind', form });
  }

  function startDeviceSignin() {
    if (signinProvider !== 'microsoft') return;
    const input = {
      provider: signinProvider,
      email: form.email.trim(),
      purpose: 'bind' as const,
      ...access,
      ...(form.ownerUserId && { ownerUserId: form.ownerUserId }),
    };
    signin.startDevice(input);
  }

  function confirmMismatch() {
    void runTest({ ...form, confirmAddressMismatch: true });
  }

  function signInAgain() {
    signin.reset();
    setStep(2);
  }

  async function toSettings() {
    if (addressError) {
      dispatch({ type: 'touch' });
      return;
    }
    dispatch({ type: 'discover-start' });
    let found: DiscoveryResult | null = null;
    let error: unknown = null;
    try {
      found = await mailboxesApi.discover(form.email.trim());
    } catch (err) {
      error = err;
    }
    dispatch({ type: 'discovered', discovery: found, error, providers });
  }

  async function runTest(current: WizardForm) {
    dispatch({ type: 'test-start', form: current });
    try {
      dispatch({ type: 'tested', result: await mailboxesApi.test(connectionInput(current)), error: null });
    } catch (err) {
      dispatch({ type: 'tested', result: null, error: err });
    }
  }

  function trust(protocol: 'imap' | 'smtp', fingerprint: string) {
    void runTest({ ...form, trusted: { ...form.trusted, [protocol]: fingerprint } });
  }

  async function save() {
    dispatch({ type: 'save-start' });
    try {
      const { mailbox, test } = await mailboxesApi.create({
        ...connectionInput(form),
        displayName: form.displayName.trim() || null,
        visibility: form.visibility,
        syncMode: form.syncMode,
        syncIntervalMinutes: form.syncIntervalMinutes,
        backfill: form.backfill,
        contactCreation: form.contactCreation,
        ...(form.ownerUserId && form.ownerUserId !== me.id && { ownerUserId: form.ownerUserId }),
        ...(forced && { force: true }),
      });
      onSaved(mailbox, test);
    } catch (err) {
      const test = failedTestOf(err);
      dispatch(test ? { type: 'save-refused', result: test } : { type: 'save-failed', error: err });
    }
  }

  const wizard = useRef<HTMLDivElement | null>(null);
  useStepFocus(wizard, step, testing);

  const otherProvider =
    discovery?.provider && discovery.provider.id !== form.providerId && discovery.provider.id !== 'custom' ? discovery.provider : null;

  return (
    <Stack gap="md" ref={wizard}>
      <Stepper
        active={step}
        onStepClick={(s) => s < step && !testing && setStep(s)}
        size="sm"
        allowNextStepsSelect={false}
        attributes={{ content: { tabIndex: -1, 'data-testid': 'wizard-step-content' } }}
      >
        <Stepper.Step label={t('wizard.steps.type')} data-testid="wizard-step-type">
          <ProviderPicker
            card={form.card}
            otherProviderId={form.otherProviderId}
            providers={providers}
            onPick={(card, otherProviderId) => patch({ card, otherProviderId })}
          />
        </Stepper.Step>

        <Stepper.Step label={t('wizard.steps.address')} data-testid="wizard-step-address">
          <Stack gap="sm">
            <TextInput
              label={t('wizard.email')}
              description={t('wizard.emailHelp')}
              type="email"
              placeholder="name@company.com"
              value={form.email}
              onChange={(e) => patch({ email: e.currentTarget.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void toSettings();
              }}
              error={touched && addressError}
              required
              data-autofocus
              data-testid="wizard-email"
            />
            {isAdmin ? (
              <Select
                label={t('wizard.owner')}
                description={t('wizard.ownerHelp')}
                data={(users.length ? users : [me]).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
                value={form.ownerUserId}
                onChange={(v) => patch({ ownerUserId: v ?? me.id })}
                allowDeselect={false}
                searchable
                data-testid="wizard-owner"
              />
            ) : null}
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('wizard.steps.settings')} data-testid="wizard-step-settings">
          <Stack gap="sm">
            {discoverError ? (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="discover-failed">
                {t('wizard.discoverFailed')}
              </Alert>
            ) : null}
            {otherProvider ? (
              <Alert color="indigo" variant="light" icon={<IconBulb size={18} />} data-testid="discover-provider-hint">
                <Group justify="space-between" gap="xs">
                  <Text size="sm">{t('wizard.hostedBy', { name: localText(otherProvider.name, i18n.language) })}</Text>
                  <Button size="xs" variant="light" onClick={() => dispatch({ type: 'switch-provider', provider: otherProvider })}>
                    {t('wizard.useProvider')}
                  </Button>
                </Group>
              </Alert>
            ) : null}
            <SettingsStep
              form={form}
              provider={provider}
              isAdmin={isAdmin}
              onChange={patch}
              onPickProvider={(id) => dispatch({ type: 'switch-provider', provider: providers.find((p) => p.id === id) ?? null })}
              ewsUrlFound={ewsUrlFound}
              signinPanel={
                signinProvider ? (
                  <SigninPanel
                    provider={signinProvider}
                    email={form.email.trim()}
                    state={signin.state}
                    isAdmin={isAdmin}
                    appMissing={appMissing}
                    onStart={startSignin}
                    onStartDevice={signinProvider === 'microsoft' ? startDeviceSignin : undefined}
                    onReopen={signin.reopen}
                    onCancel={signin.reset}
                  />
                ) : null
              }
            />
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('wizard.steps.test')} loading={testing} data-testid="wizard-step-test">
          <Stack gap="sm">
            {form.authKind === 'oauth2' && form.signedInEmail ? (
              <SigninIdentity
                expected={form.email.trim()}
                signedIn={form.signedInEmail}
                confirmed={form.confirmAddressMismatch}
                isAdmin={isAdmin}
                busy={testing}
                onConfirm={confirmMismatch}
                onSignInAgain={signInAgain}
              />
            ) : null}
            <RequestErrorAlert error={testError} testId="test-error" />
            {result && !testing ? (
              <Alert
                color={result.ok ? 'teal' : 'red'}
                variant="light"
                icon={result.ok ? <IconCircleCheck size={20} /> : <IconAlertCircle size={20} />}
                title={result.ok ? t('test.allOk') : t('test.someFailed')}
                data-testid="test-summary"
                data-ok={String(result.ok)}
              >
                {result.ok ? t('test.allOkBody') : t('test.someFailedBody')}
              </Alert>
            ) : null}
            <TestReport
              result={result}
              testing={testing}
              withSmtp={form.protocol === 'imap' && form.smtpEnabled}
              onTrust={isAdmin ? trust : undefined}
            />
          </Stack>
        </Stepper.Step>

        <Stepper.Step label={t('wizard.steps.sync')} data-testid="wizard-step-sync">
          <Stack gap="sm">
            {forced ? (
              <Alert
                color="orange"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title={t('wizard.forceTitle')}
                data-testid="force-warning"
              >
                {t('wizard.forceBody')}
              </Alert>
            ) : null}
            <RequestErrorAlert error={saveError} testId="save-error" />
            <TextInput
              label={t('wizard.displayName')}
              placeholder={form.email}
              value={form.displayName}
              onChange={(e) => patch({ displayName: e.currentTarget.value })}
              data-testid="wizard-display-name"
            />
            <SyncOptionsFields value={form} onChange={(o) => patch(o)} />
          </Stack>
        </Stepper.Step>
      </Stepper>

      <Group justify="space-between">
        <Button
          variant="default"
          onClick={step === 0 ? onClose : () => setStep(step === 4 ? 3 : step - 1)}
          disabled={testing || saving}
          leftSection={step === 0 ? null : <IconArrowLeft size={16} />}
          data-testid="wizard-back"
        >
          {step === 0 ? tc('common.cancel') : step === 3 ? t('wizard.changeSettings') : t('wizard.back')}
        </Button>
        <Group gap="xs">
          {step === 0 ? (
            <Button onClick={() => setStep(1)} disabled={!typeChosen} rightSection={<IconArrowRight size={16} />} data-testid="wizard-next">
              {t('wizard.next')}
            </Button>
          ) : null}
          {step === 1 ? (
            <Button
              onClick={() => void toSettings()}
              loading={discovering}
              rightSection={<IconArrowRight size={16} />}
              data-testid="wizard-next"
            >
              {discovering ? t('wizard.discovering') : t('wizard.next')}
            </Button>
          ) : null}
          {step === 2 ? (
            <Button
              onClick={() => void runTest(form)}
              disabled={!settingsComplete(form)}
              leftSection={<IconPlugConnected size={16} />}
              data-testid="wizard-test"
            >
              {t('wizard.testConnection')}
            </Button>
          ) : null}
          {step === 3 ? (
            <>
              <Button
                variant="default"
                onClick={() => void runTest(form)}
                disabled={testing}
                leftSection={<IconRefresh size={16} />}
                data-testid="wizard-retest"
              >
                {t('wizard.testAgain')}
              </Button>
              {result && !result.ok && isAdmin && !testing ? (
                <Button color="orange" variant="light" onClick={() => dispatch({ type: 'force' })} data-testid="wizard-force">
                  {t('wizard.saveAnyway')}
                </Button>
              ) : null}
              <Button
                onClick={() => setStep(4)}
                disabled={testing || !result?.ok}
                rightSection={<IconArrowRight size={16} />}
                data-testid="wizard-next"
              >
                {t('wizard.next')}
              </Button>
            </>
          ) : null}
          {step === 4 ? (
            <Button onClick={() => void save()} loading={saving} color={forced ? 'orange' : undefined} data-testid="wizard-save">
              {forced ? t('wizard.saveAnyway') : tc('common.save')}
            </Button>
          ) : null}
        </Group>
      </Group>
    </Stack>
  );
}

const FIELDS = 'input:not([disabled]):not([type="hidden"]), textarea:not([disabled]), select:not([disabled])';

/**
 * Each step's buttons replace the last one's, and a test hides the buttons of the last result (trust this
 * certificate), so the focus would fall to the page. After the wizard moves to another step the focus goes
 * to the step's field marked data-autofocus, else its first field, else the step itself; when a test starts
 * or ends and the focus was lost, to the step. Not when the wizard opens: the dialog places the focus then.
 */
function useStepFocus(wizard: RefObject<HTMLDivElement | null>, step: number, testing: boolean): void {
  const shown = useRef(step);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `testing` is a trigger: a test hides and shows the step's buttons
  useEffect(() => {
    const root = wizard.current?.querySelector<HTMLElement>('[data-testid="wizard-step-content"]');
    if (!root) return;
    if (shown.current !== step) {
      shown.current = step;
      (root.querySelector<HTMLElement>('[data-autofocus]') ?? root.querySelector<HTMLElement>(FIELDS) ?? root).focus();
      return;
    }
    const active = document.activeElement;
    if (active === null || active === document.body) root.focus();
  }, [wizard, step, testing]);
}
