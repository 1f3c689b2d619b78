import { describe, expect, it } from 'vitest';
import { wizardReducer, initialWizardState } from './wizard-reducer.ts';
import { connectionInput, ewsUrlValid, initialForm, settingsComplete, type WizardForm } from './wizard-state.ts';
import type { Provider, TestResult } from './types.ts';

const form = (patch: Partial<WizardForm>): WizardForm => ({ ...initialForm(), email: 'ann@fabrikam.example', ...patch });

const provider = (id: string, protocols: Provider['protocols']): Provider => ({
  id,
  name: { en: id, 'zh-CN': id },
  kind: 'enterprise',
  protocols,
  imap: null,
  smtp: null,
  username: 'email',
  auth: ['password'],
  oauthApp: null,
  quirks: [],
  help: { en: '', 'zh-CN': '' },
  authHelp: null,
  sources: [],
});

describe('the wizard on the Exchange / Microsoft 365 path', () => {
  it('sends Graph as a sign-in only: no servers, no password, no user name', () => {
    const graph = form({
      protocol: 'graph',
      providerId: 'microsoft365',
      authKind: 'oauth2',
      signinId: 'flow-1',
      password: 'typed earlier',
    });
    expect(connectionInput(graph)).toEqual({
      email: 'ann@fabrikam.example',
      providerId: 'microsoft365',
      protocol: 'graph',
      authKind: 'oauth2',
      signinId: 'flow-1',
    });
    expect(settingsComplete(graph)).toBe(true);
    expect(settingsComplete({ ...graph, signinId: null })).toBe(false);
  });

  it('sends EWS with the typed endpoint, or null for Autodiscover, and never SMTP', () => {
    const ews = form({ protocol: 'ews', providerId: 'exchange', username: 'FABRIKAM\\ann', password: 'pw', ewsUrl: '' });
    expect(connectionInput(ews)).toEqual({
      email: 'ann@fabrikam.example',
      providerId: 'exchange',
      protocol: 'ews',
      ews: { url: null },
      username: 'FABRIKAM\\ann',
      authKind: 'password',
      password: 'pw',
    });
    const typed = connectionInput({ ...ews, ewsUrl: ' https://mail.fabrikam.example/EWS/Exchange.asmx ', trusted: { imap: 'AB:CD' } });
    expect(typed).toMatchObject({
      ews: { url: 'https://mail.fabrikam.example/EWS/Exchange.asmx' },
      trustedCertificates: { imap: 'AB:CD' },
    });
    expect(typed).not.toHaveProperty('smtp');
    expect(settingsComplete({ ...ews, password: '' })).toBe(false);
    expect(settingsComplete({ ...ews, ewsUrl: 'ftp://mail.fabrikam.example/' })).toBe(false);
  });

  it('accepts only http(s) EWS addresses without credentials in them', () => {
    expect(ewsUrlValid('')).toBe(true);
    expect(ewsUrlValid('https://mail.fabrikam.example/EWS/Exchange.asmx')).toBe(true);
    expect(ewsUrlValid('mail.fabrikam.example')).toBe(false);
    expect(ewsUrlValid('https://u:p@mail.fabrikam.example/EWS/Exchange.asmx')).toBe(false);
  });

  it("takes each provider's preferred protocol, and shows the endpoint the test's Autodiscover found", () => {
    let state = initialWizardState(5, 'me');
    state = wizardReducer(state, { type: 'switch-provider', provider: provider('exchange', ['ews', 'imap']) });
    expect(state.form.protocol).toBe('ews');
    state = wizardReducer(state, { type: 'switch-provider', provider: provider('microsoft365', ['graph', 'imap']) });
    expect(state.form.protocol).toBe('graph');
    state = wizardReducer(state, { type: 'switch-provider', provider: provider('exchange', ['ews', 'imap']) });
    const url = 'https://mail.fabrikam.example/EWS/Exchange.asmx';
    const report = { protocol: 'ews', url, ok: true } as TestResult['imap'];
    state = wizardReducer(state, { type: 'tested', result: { ok: true, imap: report, smtp: null }, error: null });
    expect(state.form.ewsUrl).toBe(url);
    // A typed address is kept.
    state = wizardReducer(
      { ...state, form: { ...state.form, ewsUrl: 'https://typed.example/EWS/Exchange.asmx' } },
      {
        type: 'tested',
        result: { ok: true, imap: report, smtp: null },
        error: null,
      },
    );
    expect(state.form.ewsUrl).toBe('https://typed.example/EWS/Exchange.asmx');
  });
});
