import { api } from './client.ts';
import type { ApiToken, Locale, Role, User } from './types.ts';

/** Typed calls for each API route the web app uses; pages import these, never raw paths. */

export const setupApi = {
  status: () => api.get<{ needed: boolean }>('/api/v1/setup'),
  create: (input: { email: string; name: string; password: string }) => api.post<{ user: User }>('/api/v1/setup', input),
};

// Signing in goes through securityApi.login (it also handles the two-factor step).
export const authApi = {
  logout: () => api.post<void>('/api/v1/auth/logout'),
};

export const meApi = {
  get: () => api.get<{ user: User }>('/api/v1/me'),
  update: (input: { name?: string; locale?: Locale }) => api.patch<{ user: User }>('/api/v1/me', input),
};

export const tokensApi = {
  list: () => api.get<{ items: ApiToken[] }>('/api/v1/tokens'),
  /** The password is asked again; `expiresAt` (ISO time) and `scope` are optional. */
  create: (input: { name: string; password: string; expiresAt?: string; scope?: 'full' | 'read' }) =>
    api.post<{ token: ApiToken; secret: string }>('/api/v1/tokens', input),
  revoke: (id: string) => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`),
};

export interface UserPatch {
  name?: string;
  role?: Role;
  team?: string | null;
  active?: boolean;
  password?: string;
}

export const usersApi = {
  list: () => api.get<{ items: User[] }>('/api/v1/users'),
  create: (input: { email: string; name: string; role: Role; password: string; team?: string | null }) =>
    api.post<{ user: User }>('/api/v1/users', input),
  update: (id: string, patch: UserPatch) => api.patch<{ user: User }>(`/api/v1/users/${encodeURIComponent(id)}`, patch),
};
