import type { MailAccess, OAuthProviderKind } from './tables.ts';

export const PROVIDER_KINDS = ['google', 'microsoft'] as const satisfies readonly OAuthProviderKind[];

/** Microsoft's tenant names; anything else must be a tenant id (a GUID) or a verified domain. */
export const MICROSOFT_TENANTS = ['common', 'organizations', 'consumers'] as const;
/** A Microsoft tenant id (the Directory ID). */
export const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DEFAULT_GOOGLE_ISSUER = 'https://accounts.google.com';
/** `{tenant}` is replaced by the configured tenant. */
export const DEFAULT_MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com/{tenant}/v2.0';

/** Sign-in apps from the environment, and where the providers are (tests point them at a local one). */
export interface SigninConfig {
  google: { clientId: string | null; clientSecret: string | null; issuer: string };
  /** `authority` may hold `{tenant}`, replaced by the tenant in use. */
  microsoft: { clientId: string | null; clientSecret: string | null; tenant: string | null; authority: string };
}

export interface ProviderProfile {
  kind: OAuthProviderKind;
  /** What we ask for at sign-in. */
  scopes: string[];
  /** Scopes that must be granted for the mailbox to work (compared by their last path segment). */
  requiredScopes: string[];
  /** Extra authorization request parameters (offline access and a fresh consent for Google). */
  authorizationParams: Record<string, string>;
  /** Microsoft offers the device code flow with mail scopes; Google does not. */
  deviceFlow: boolean;
}

export const PROFILES: Record<OAuthProviderKind, ProviderProfile> = {
  google: {
    kind: 'google',
    scopes: ['openid', 'email', 'https://mail.google.com/'],
    requiredScopes: ['https://mail.google.com/'],
    // Without prompt=consent Google sends a refresh token only the first time a user consents.
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    deviceFlow: false,
  },
  microsoft: {
    kind: 'microsoft',
    scopes: [
      'openid',
      'email',
      'offline_access',
      'https://outlook.office.com/IMAP.AccessAsUser.All',
      'https://outlook.office.com/SMTP.Send',
    ],
    requiredScopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'],
    authorizationParams: {},
    deviceFlow: true,
  },
};

/** Microsoft Graph's mail permissions (delegated), for a Microsoft 365 mailbox read over Graph. */
export const GRAPH_PROFILE: ProviderProfile = {
  kind: 'microsoft',
  scopes: [
    'openid',
    'email',
    'offline_access',
    'https://graph.microsoft.com/Mail.ReadWrite',
    'https://graph.microsoft.com/Mail.Send',
    'https://graph.microsoft.com/User.Read',
  ],
  requiredScopes: ['https://graph.microsoft.com/Mail.ReadWrite'],
  authorizationParams: {},
  deviceFlow: true,
};

/** What to ask `kind` for, for IMAP/SMTP or for Graph (Microsoft only; the caller checks). */
export function profileFor(kind: OAuthProviderKind, access: MailAccess = 'imap'): ProviderProfile {
  return access === 'graph' && kind === 'microsoft' ? GRAPH_PROFILE : PROFILES[kind];
}

/** A grant made for Graph carries Graph's mail permission among its granted scopes. */
export function accessOfScope(scope: string | null | undefined): MailAccess {
  return /(^|\s)https:\/\/graph\.microsoft\.com\/Mail\.ReadWrite(\s|$)/i.test(scope ?? '') ? 'graph' : 'imap';
}

/** The issuer for Google, or Microsoft's authority with the tenant filled in. */
export function issuerFor(
  kind: OAuthProviderKind,
  opts: { googleIssuer: string; microsoftAuthority: string; tenant: string | null },
): string {
  if (kind === 'google') return opts.googleIssuer;
  return opts.microsoftAuthority.replace('{tenant}', encodeURIComponent(opts.tenant ?? 'common'));
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** https everywhere; plain http only for a provider on this machine (tests, development). */
export function issuerUrlAllowed(url: string): boolean {
  try {
    const parsed = new URL(url.replace('{tenant}', 'common'));
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  } catch {
    return false;
  }
}

/** True when every required scope is among the granted ones (an absent `scope` means all were granted). */
export function grantedAllRequired(profile: ProviderProfile, granted: string | undefined): boolean {
  if (!granted) return true;
  const tail = (s: string) => s.replace(/\/+$/, '').split('/').at(-1)!.toLowerCase();
  const have = new Set(granted.split(/\s+/).filter(Boolean).map(tail));
  return profile.requiredScopes.every((s) => have.has(tail(s)));
}
