import type { SigninFlow } from '../signin/types.ts';
import type { DiscoveryResult, Provider, TestResult } from './types.ts';
import {
  applyPrefill,
  discoveredEwsUrl,
  initialForm,
  passwordKind,
  preferredProtocol,
  prefill,
  resolveProviderId,
  type WizardForm,
} from './wizard-state.ts';

/** Everything the binding wizard remembers between its steps, changed only through `wizardReducer`. */
export interface WizardState {
  step: number;
  form: WizardForm;
  /** The address field shows its error once the user tried to go on. */
  touched: boolean;
  discovery: DiscoveryResult | null;
  discovering: boolean;
  discoverError: unknown;
  testing: boolean;
  result: TestResult | null;
  testError: unknown;
  /** An admin chose to save although the test failed. */
  forced: boolean;
  saving: boolean;
  saveError: unknown;
}

export type WizardAction =
  | { type: 'go'; step: number }
  | { type: 'patch'; patch: Partial<WizardForm> }
  | { type: 'touch' }
  | { type: 'switch-provider'; provider: Provider | null }
  | { type: 'discover-start' }
  | { type: 'discovered'; discovery: DiscoveryResult | null; error: unknown; providers: Provider[] }
  | { type: 'test-start'; form: WizardForm }
  | { type: 'tested'; result: TestResult | null; error: unknown }
  /** Signed in with Google or Microsoft: the mailbox binds with that sign-in instead of a password. */
  | { type: 'signed-in'; flow: SigninFlow }
  | { type: 'force' }
  | { type: 'save-start' }
  | { type: 'save-refused'; result: TestResult }
  | { type: 'save-failed'; error: unknown };

export function initialWizardState(defaultSyncIntervalMinutes: number, ownerUserId: string): WizardState {
  return {
    step: 0,
    form: { ...initialForm(defaultSyncIntervalMinutes), ownerUserId },
    touched: false,
    discovery: null,
    discovering: false,
    discoverError: null,
    testing: false,
    result: null,
    testError: null,
    forced: false,
    saving: false,
    saveError: null,
  };
}

/**
 * The wizard as the browser comes back from signing in in the same tab: the remembered form, at the test
 * step (the test starts once the sign-in's outcome is known).
 */
export function resumedWizardState(form: WizardForm): WizardState {
  return { ...initialWizardState(form.syncIntervalMinutes, form.ownerUserId ?? ''), form, touched: true, step: 2 };
}

/** The form with the provider's credential kind and the settings it (or discovery) suggests. */
function withProvider(form: WizardForm, providerId: string, provider: Provider | null, discovery: DiscoveryResult | null): WizardForm {
  return applyPrefill(
    {
      ...form,
      providerId,
      protocol: preferredProtocol(provider),
      ewsUrl: discoveredEwsUrl(discovery),
      authKind: passwordKind(provider),
      signinId: null,
      signedInEmail: null,
      confirmAddressMismatch: false,
    },
    prefill(provider, discovery),
  );
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'go':
      return { ...state, step: action.step };
    case 'patch':
      return { ...state, form: { ...state.form, ...action.patch } };
    case 'touch':
      return { ...state, touched: true };
    case 'switch-provider':
      return { ...state, form: withProvider(state.form, action.provider?.id ?? 'custom', action.provider, state.discovery) };
    case 'discover-start':
      return { ...state, touched: true, discovering: true, discoverError: null };
    case 'discovered': {
      // A failed discovery is not fatal: the user can still type the settings.
      const providerId = resolveProviderId(state.form, action.discovery);
      const provider = action.providers.find((p) => p.id === providerId) ?? null;
      const form = withProvider(state.form, providerId, provider, action.discovery);
      return { ...state, discovery: action.discovery, discoverError: action.error, form, discovering: false, step: 2 };
    }
    case 'test-start':
      return { ...state, form: action.form, step: 3, testing: true, testError: null, forced: false };
    case 'tested': {
      // EWS: the endpoint Autodiscover found is shown, and kept for the save, unless one was typed.
      const found = action.result?.imap.protocol === 'ews' ? action.result.imap.url : undefined;
      const form = found && state.form.ewsUrl.trim() === '' ? { ...state.form, ewsUrl: found } : state.form;
      return { ...state, form, result: action.result, testError: action.error, testing: false };
    }
    case 'signed-in': {
      const { flow } = action;
      const form: WizardForm = {
        ...state.form,
        authKind: 'oauth2',
        password: '',
        signinId: flow.id,
        signedInEmail: flow.signedInEmail,
        confirmAddressMismatch: false,
      };
      return { ...state, form, result: null, testError: null };
    }
    case 'force':
      return { ...state, forced: true, step: 4 };
    case 'save-start':
      return { ...state, saving: true, saveError: null };
    case 'save-refused':
      // The server tests again before saving; its report shows why it refused.
      return { ...state, saving: false, result: action.result, forced: false, step: 3 };
    case 'save-failed':
      return { ...state, saving: false, saveError: action.error };
  }
}
