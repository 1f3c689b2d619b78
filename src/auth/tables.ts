import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: 'admin' | 'member';
  password_hash: string;
  active: Generated<boolean>;
  locale: string | null;
  /** The team's name (src/db/migrations/2026-12-10-050-teams.ts); null: in no team. */
  team: ColumnType<string | null, string | null | undefined, string | null>;
  totp_secret: string | null;
  totp_pending: string | null;
  /** The time step of the last authenticator code accepted; a code at or before it is a replay. */
  totp_last_step: number | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  last_login_at: Date | null;
  password_changed_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: CreatedAt;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
  scope: ColumnType<TokenScope, TokenScope | undefined, TokenScope>;
}

/** `read`: the token may only read (GET, HEAD); `full`: whatever its user may do. */
export type TokenScope = 'full' | 'read';

/** One throttle bucket (see throttle.ts): its failures since it was last quiet for a while. */
export interface AuthThrottleTable {
  key: string;
  failures: ColumnType<number, number | undefined, number>;
  last_failure_at: CreatedAt;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: Date | null;
}

export interface WorkspaceSettingsTable {
  key: string;
  value: unknown;
  updated_at: CreatedAt;
}

export interface AuthTables {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  auth_throttle: AuthThrottleTable;
  recovery_codes: RecoveryCodesTable;
  workspace_settings: WorkspaceSettingsTable;
}

export type User = Selectable<UsersTable>;
