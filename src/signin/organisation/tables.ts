import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * An organisation-wide grant an administrator set up once per provider (migration
 * 2026-12-07-020-signin-organisation): Microsoft 365 application permissions (the Microsoft sign-in
 * app's client credentials, for `tenant`) or a Google Workspace service account with domain-wide
 * delegation (`service_account_*`, its private key in the vault under `key_secret_id`).
 */
export interface SigninOrgGrantsTable {
  id: Generated<string>;
  provider: 'google' | 'microsoft';
  /** Microsoft: the tenant id (GUID) or a verified domain; client credentials need one tenant. */
  tenant: string | null;
  /** The mail domains the grant may be used for, space-separated, lower case. */
  domains: string;
  service_account_email: string | null;
  service_account_client_id: string | null;
  /** The service account key's id (the JWT `kid`). */
  key_id: string | null;
  key_secret_id: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SigninOrgTables {
  signin_org_grants: SigninOrgGrantsTable;
}

export type SigninOrgGrantRow = Selectable<SigninOrgGrantsTable>;
