import type {
  AuthKind,
  PasswordKind,
  Backfill,
  ConnectionInput,
  ContactCreation,
  DiscoveryResult,
  DiscoverySource,
  MailProtocol,
  Provider,
  Security,
  ServerSetting,
  SyncMode,
  Visibility,
} from './types.ts';

/** The type cards of step 1. A card may stand for several catalogue entries; the address picks one. */
export type CardKey = 'microsoft' | 'gmail' | 'outlook' | 'qq' | 'netease' | 'exmail' | 'aliyun' | 'other' | 'custom';

export const CARDS: { key: CardKey; providerIds: string[] }[] = [
  { key: 'microsoft', providerIds: ['microsoft365', 'exchange'] },
  { key: 'gmail', providerIds: ['gmail'] },
  { key: 'outlook', providerIds: ['outlook'] },
  { key: 'qq', providerIds: ['qq'] },
  { key: 'netease', providerIds: ['netease163', 'netease126', 'yeah'] },
  { key: 'exmail', providerIds: ['exmail'] },
  { key: 'aliyun', providerIds: ['aliyun_qiye', 'aliyun'] },
  { key: 'other', providerIds: [] },
  { key: 'custom', providerIds: ['custom'] },
];

export interface ServerForm {
  host: string;
  port: number | '';
  security: Security;
}

export interface WizardForm {
  card: CardKey | null;
  /** The catalogue entry chosen under "Other providers". */
  otherProviderId: string | null;
  email: string;
  ownerUserId: string | null;
  providerId: string;
  /** How the mailbox is read: the provider's preferred way, or IMAP when the user chose it instead. */
  protocol: MailProtocol;
  /** EWS: the endpoint; empty lets Autodiscover find it when the test runs (the test fills it in). */
  ewsUrl: string;
  imap: ServerForm;
  smtp: ServerForm;
  smtpEnabled: boolean;
  /** Where the prefilled server settings came from; null once nothing was found. */
  source: DiscoverySource | null;
  username: string;
  authKind: AuthKind;
  password: string;
  /** The finished sign-in with Google or Microsoft that binds the mailbox instead of a password. */
  signinId: string | null;
  /** The address the provider says was signed in to. */
  signedInEmail: string | null;
  /** An admin agreed to bind the mailbox with a signed-in account of another address. */
  confirmAddressMismatch: boolean;
  /** Certificate fingerprints the user chose to trust, per protocol. */
  trusted: { imap?: string; smtp?: string };
  displayName: string;
  visibility: Visibility;
  syncMode: SyncMode;
  syncIntervalMinutes: number;
  backfill: Backfill;
  contactCreation: ContactCreation;
}

const blankServer = (port: number, security: Security): ServerForm => ({ host: '', port, security });

export function initialForm(defaultSyncIntervalMinutes = 5): WizardForm {
  return {
    card: null,
    otherProviderId: null,
    email: '',
    ownerUserId: null,
    providerId: 'custom',
    protocol: 'imap',
    ewsUrl: '',
    imap: blankServer(993, 'tls'),
    smtp: blankServer(465, 'tls'),
    smtpEnabled: true,
    source: null,
    username: '',
    authKind: 'password',
    password: '',
    signinId: null,
    signedInEmail: null,
    confirmAddressMismatch: false,
    trusted: {},
    displayName: '',
    visibility: 'private',
    syncMode: 'realtime',
    syncIntervalMinutes: defaultSyncIntervalMinutes,
    backfill: '90d',
    contactCreation: 'sent',
  };
}

/** The credential a provider takes for IMAP/SMTP: OAuth aside, the first kind it lists. */
export function passwordKind(provider: Provider | null): PasswordKind {
  const kind = provider?.auth.find((a): a is PasswordKind => a !== 'oauth2');
  return kind ?? 'password';
}

/** Gmail, Outlook.com, Microsoft 365: the account password no longer works and OAuth is the way in. */
export function needsOAuth(provider: Provider | null): boolean {
  if (!provider) return false;
  return provider.auth[0] === 'oauth2' || (provider.quirks.includes('password_login_closed') && provider.auth.includes('oauth2'));
}

/** Which catalogue entry the chosen card and the typed address point to. */
export function resolveProviderId(form: Pick<WizardForm, 'card' | 'otherProviderId'>, discovery: DiscoveryResult | null): string {
  if (form.card === 'other') return form.otherProviderId ?? 'custom';
  const card = CARDS.find((c) => c.key === form.card);
  if (!card || card.providerIds.length === 0) return 'custom';
  // The domain's catalogue match first, then what a source found (Exchange Autodiscover → on-premises Exchange).
  const found = [discovery?.provider?.id, ...(discovery?.suggestions.map((s) => s.providerId) ?? [])];
  return found.find((id): id is string => !!id && card.providerIds.includes(id)) ?? card.providerIds[0];
}

export interface Prefill {
  imap: ServerSetting | null;
  smtp: ServerSetting | null;
  username: string;
  source: DiscoverySource | null;
}

/**
 * The settings to start from: the catalogue entry the user picked, else discovery's best suggestion.
 * For a custom server we still take what discovery found (autoconfig, SRV), since the user asked for none.
 */
export function prefill(provider: Provider | null, discovery: DiscoveryResult | null): Prefill {
  const username = discovery?.defaultUsername ?? '';
  if (provider && provider.id !== 'custom' && provider.imap) {
    const local = discovery?.email.split('@')[0] ?? '';
    return {
      imap: provider.imap,
      smtp: provider.smtp,
      username: provider.username === 'local_part' ? local : (discovery?.email ?? username),
      source: 'catalogue',
    };
  }
  const best = discovery?.suggestions.find(
    (s) => s.imap && (!provider || provider.id === 'custom' || !s.providerId || s.providerId === provider.id),
  );
  if (best?.imap) return { imap: best.imap, smtp: best.smtp ?? null, username: best.username || username, source: best.source };
  return { imap: null, smtp: null, username: discovery?.email ?? username, source: null };
}

export function applyPrefill(form: WizardForm, p: Prefill): WizardForm {
  return {
    ...form,
    imap: p.imap ? { ...p.imap } : form.imap,
    smtp: p.smtp ? { ...p.smtp } : form.smtp,
    smtpEnabled: p.imap ? p.smtp !== null : form.smtpEnabled,
    username: p.username || form.username,
    source: p.source,
    trusted: {},
  };
}

/** The provider's preferred way to read its mailboxes (Graph for Microsoft 365, EWS for Exchange Server). */
export function preferredProtocol(provider: Provider | null): MailProtocol {
  return provider?.protocols?.[0] ?? 'imap';
}

/** The EWS endpoint discovery's Autodiscover found, to start from. */
export function discoveredEwsUrl(discovery: DiscoveryResult | null): string {
  return discovery?.suggestions.find((s) => s.ews?.url)?.ews?.url ?? '';
}

/** An EWS address the server accepts: http(s) and nothing else (empty: Autodiscover). */
export function ewsUrlValid(url: string): boolean {
  const trimmed = url.trim();
  if (trimmed === '') return true;
  try {
    const parsed = new URL(trimmed);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

export const serverComplete = (s: ServerForm) => s.host.trim() !== '' && typeof s.port === 'number' && s.port > 0;

export function settingsComplete(form: WizardForm): boolean {
  if (form.protocol === 'graph') return form.authKind === 'oauth2' && form.signinId !== null;
  if (form.protocol === 'ews') return form.username.trim() !== '' && form.password !== '' && ewsUrlValid(form.ewsUrl);
  const servers = serverComplete(form.imap) && (!form.smtpEnabled || serverComplete(form.smtp));
  if (form.authKind === 'oauth2') return servers && form.signinId !== null;
  return servers && form.password !== '' && form.username.trim() !== '';
}

const toServer = (s: ServerForm): ServerSetting => ({ host: s.host.trim(), port: Number(s.port), security: s.security });

/** The body of POST /mailboxes/test (and the connection half of POST /mailboxes). */
export function connectionInput(form: WizardForm): ConnectionInput {
  if (form.protocol === 'graph' || form.protocol === 'ews') return exchangeConnectionInput(form);
  const plain = form.imap.security === 'plain' || (form.smtpEnabled && form.smtp.security === 'plain');
  const trusted: { imap?: string; smtp?: string } = {};
  if (form.trusted.imap) trusted.imap = form.trusted.imap;
  if (form.trusted.smtp && form.smtpEnabled) trusted.smtp = form.trusted.smtp;
  const credential =
    form.authKind === 'oauth2' && form.signinId
      ? { authKind: 'oauth2' as const, signinId: form.signinId, ...(form.confirmAddressMismatch && { confirmAddressMismatch: true }) }
      : { authKind: form.authKind, password: form.password };
  return {
    email: form.email.trim(),
    providerId: form.providerId,
    imap: toServer(form.imap),
    smtp: form.smtpEnabled ? toServer(form.smtp) : null,
    username: form.username.trim() || undefined,
    ...credential,
    ...(plain && { allowPlaintext: true }),
    ...(Object.keys(trusted).length > 0 && { trustedCertificates: trusted }),
  } as ConnectionInput;
}

/** Graph: the sign-in only; EWS: the endpoint (or null for Autodiscover), user name and password. */
function exchangeConnectionInput(form: WizardForm): ConnectionInput {
  const common = {
    email: form.email.trim(),
    providerId: form.providerId,
    ...(form.trusted.imap && { trustedCertificates: { imap: form.trusted.imap } }),
  };
  if (form.protocol === 'graph') {
    return {
      ...common,
      protocol: 'graph',
      authKind: 'oauth2',
      signinId: form.signinId ?? undefined,
      ...(form.confirmAddressMismatch && { confirmAddressMismatch: true }),
    } as ConnectionInput;
  }
  const url = form.ewsUrl.trim();
  return {
    ...common,
    protocol: 'ews',
    ews: { url: url || null },
    username: form.username.trim(),
    authKind: 'password',
    password: form.password,
    ...(url.startsWith('http:') && { allowPlaintext: true }),
  } as ConnectionInput;
}

/** The usual port for a security choice, so switching SSL/TLS ⇄ STARTTLS fixes the port too. */
export function defaultPort(protocol: 'imap' | 'smtp', security: Security): number {
  if (protocol === 'imap') return security === 'tls' ? 993 : 143;
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}
