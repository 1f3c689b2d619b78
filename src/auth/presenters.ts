import type { Selectable } from 'kysely';
import type { ApiTokensTable, User } from './tables.ts';

/** The only shape of a user that leaves the API: no hash, no TOTP secret. */
export function presentUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    locale: user.locale,
    team: user.team,
    twoFactorEnabled: user.totp_secret !== null,
    createdAt: new Date(user.created_at).toISOString(),
    lastLoginAt: user.last_login_at ? new Date(user.last_login_at).toISOString() : null,
  };
}

/** An API token as its owner sees it: the name and first characters, never the secret or its hash. */
export function presentToken(row: Selectable<ApiTokensTable>) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
    scope: row.scope,
  };
}

export type PresentedUser = ReturnType<typeof presentUser>;
