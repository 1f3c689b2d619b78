import type { User } from './tables.ts';

/** The only shape of a user that leaves the API: no hash, no TOTP secret. */
export function presentUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    locale: user.locale,
    twoFactorEnabled: user.totp_secret !== null,
    createdAt: new Date(user.created_at).toISOString(),
    lastLoginAt: user.last_login_at ? new Date(user.last_login_at).toISOString() : null,
  };
}
