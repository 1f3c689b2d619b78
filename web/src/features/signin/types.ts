/**
 * The shapes of the sign-in routes (docs: the OAuth contract of issue 14).
 * TODO(api-schema): written by hand until the server's schemas are merged; then aliases of the generated types.
 */

/** The identity providers Tidings signs in with for IMAP/SMTP (XOAUTH2). */
export type SigninProvider = 'google' | 'microsoft';
export const SIGNIN_PROVIDERS: readonly SigninProvider[] = ['google', 'microsoft'];

/** A sign-in app an admin registered with the provider; its secret never comes back, only whether one is stored. */
export interface SigninApp {
  provider: SigninProvider;
  configured: boolean;
  clientId: string | null;
  hasSecret: boolean;
  /** Microsoft only: common, organizations, consumers or a tenant ID. */
  tenant: string | null;
  /** 'environment' when set by the deployment's variables: read-only here. */
  source: 'settings' | 'environment' | null;
  /** What to register as the app's redirect URI, from TIDINGS_BASE_URL. */
  redirectUri: string;
}

export interface SigninAppInput {
  clientId: string;
  /** Absent keeps the stored secret; null removes it (a Microsoft public client). */
  clientSecret?: string | null;
  tenant?: string;
}

export type FlowPurpose = 'bind' | 'reauth';
export type FlowMethod = 'code' | 'device';

export interface StartFlowInput {
  provider: SigninProvider;
  /** The mailbox address; an invitation or a mailbox (reauth) names it instead. */
  email?: string;
  purpose: FlowPurpose;
  mailboxId?: string;
  ownerUserId?: string;
  /** The invited owner follows an admin's sign-in link. */
  invitationId?: string;
  method: FlowMethod;
}

export interface DeviceCode {
  userCode: string;
  verificationUri: string;
  expiresAt: string;
  intervalSeconds: number;
}

export type StartedFlow = { id: string; authorizationUrl: string } | { id: string; device: DeviceCode };

export type FlowStatus = 'pending' | 'signed_in' | 'failed' | 'used';

export interface SigninFlow {
  id: string;
  provider: SigninProvider;
  purpose: FlowPurpose;
  status: FlowStatus;
  expectedEmail: string | null;
  signedInEmail: string | null;
  addressMatches: boolean | null;
  error: { code: string } | null;
}

export interface SigninInvitation {
  id: string;
  ownerUserId: string;
  email: string;
  provider: SigninProvider;
  /** The page the owner opens: /settings/mailboxes?invitation=<id>. */
  url: string;
  expiresAt: string;
  usedAt: string | null;
  mailboxId: string | null;
}
