import type { ColumnType, Generated, Selectable } from 'kysely';
import type { SigninOrgTables } from './organisation/tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type OAuthProviderKind = 'google' | 'microsoft';
export type FlowPurpose = 'bind' | 'reauth';
export type FlowMethod = 'code' | 'device';
export type FlowStatus = 'pending' | 'signed_in' | 'failed' | 'used';
/** What the sign-in is for: IMAP/SMTP, or Microsoft Graph's mail API (Microsoft only). */
export type MailAccess = 'imap' | 'graph';

export interface SigninAppsTable {
  provider: OAuthProviderKind;
  client_id: string;
  /** The client secret in the vault; null for a public client (Microsoft without a secret). */
  secret_id: string | null;
  /** Microsoft only: common | organizations | consumers | a tenant id. */
  tenant: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** 'user': a person's consent (refresh token); 'organisation': reached through an org grant (organisation/). */
export type GrantKind = 'user' | 'organisation';

export interface SigninGrantsTable {
  id: Generated<string>;
  kind: Generated<GrantKind>;
  /** For kind 'organisation': the organisation grant its tokens are minted from. */
  org_grant_id: string | null;
  provider: OAuthProviderKind;
  client_id: string;
  /** The ID token's `sub`. */
  subject: string;
  /** The address the provider said the user signed in as. */
  email: string;
  scope: Generated<string>;
  /** Null for kind 'organisation' (no refresh token: tokens are minted from the org grant). */
  refresh_secret_id: string | null;
  access_secret_id: string | null;
  access_expires_at: Date | null;
  refresh_lock_until: Date | null;
  refresh_lock_holder: string | null;
  /** The token endpoint answered invalid_grant: only a new sign-in helps. */
  revoked_at: Date | null;
  mailbox_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SigninFlowsTable {
  id: Generated<string>;
  user_id: string;
  provider: OAuthProviderKind;
  purpose: FlowPurpose;
  method: FlowMethod;
  access: Generated<MailAccess>;
  expected_email: string;
  mailbox_id: string | null;
  owner_user_id: string | null;
  invitation_id: string | null;
  /** SHA-256 of the state; the state itself lives only in the authorization URL. */
  state_hash: string | null;
  nonce: string | null;
  /** The vault secret holding the PKCE verifier (code) or the device code (device). */
  secret_id: string | null;
  device_user_code: string | null;
  device_verification_uri: string | null;
  device_interval_seconds: number | null;
  device_next_poll_at: Date | null;
  status: Generated<FlowStatus>;
  error_code: string | null;
  signed_in_email: string | null;
  grant_id: string | null;
  expires_at: Date;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SigninInvitationsTable {
  id: Generated<string>;
  owner_user_id: string;
  email: string;
  provider: OAuthProviderKind;
  created_by: string | null;
  expires_at: Date;
  used_at: Date | null;
  mailbox_id: string | null;
  created_at: Timestamp;
}

export interface SigninTables extends SigninOrgTables {
  signin_apps: SigninAppsTable;
  signin_grants: SigninGrantsTable;
  signin_flows: SigninFlowsTable;
  signin_invitations: SigninInvitationsTable;
}

export type SigninAppRow = Selectable<SigninAppsTable>;
export type SigninGrantRow = Selectable<SigninGrantsTable>;
export type SigninFlowRow = Selectable<SigninFlowsTable>;
export type SigninInvitationRow = Selectable<SigninInvitationsTable>;
