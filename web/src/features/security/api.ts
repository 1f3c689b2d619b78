import { api } from '../../api/client.ts';
import type { AuditPage, AuditQuery, SecurityUser, SessionInfo, TwoFactorSetup, WorkspaceSettings } from './types.ts';

/** Typed calls for two-factor sign-in, the audit trail and workspace settings. */
export const securityApi = {
  /** Sign-in with an optional authenticator code; 401 `totp_required` asks for one. */
  login: (input: { email: string; password: string; totp?: string }) => api.post<{ user: SecurityUser }>('/api/v1/auth/login', input),
  startTwoFactor: () => api.post<TwoFactorSetup>('/api/v1/me/two-factor/setup'),
  /** Turning 2FA on and off asks for the password again, and a code (a code works once). */
  enableTwoFactor: (input: { code: string; password: string }) =>
    api.post<{ user: SecurityUser; recoveryCodes: string[] }>('/api/v1/me/two-factor/enable', input),
  disableTwoFactor: (input: { password: string; code: string }) => api.post<{ user: SecurityUser }>('/api/v1/me/two-factor/disable', input),
  sessions: () => api.get<{ items: SessionInfo[] }>('/api/v1/me/sessions'),
  endSession: (id: string) => api.delete(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
  resetTwoFactor: (userId: string) =>
    api.patch<{ user: SecurityUser }>(`/api/v1/users/${encodeURIComponent(userId)}`, { resetTwoFactor: true }),
  audit: ({ limit, cursor, action }: AuditQuery = {}) => {
    const params = new URLSearchParams();
    if (limit) params.set('limit', String(limit));
    if (cursor) params.set('cursor', cursor);
    if (action) params.set('action', action);
    const query = params.toString();
    return api.get<AuditPage>(`/api/v1/audit${query ? `?${query}` : ''}`);
  },
  workspace: () => api.get<{ settings: WorkspaceSettings }>('/api/v1/settings/workspace'),
  updateWorkspace: (patch: Partial<WorkspaceSettings>) => api.patch<{ settings: WorkspaceSettings }>('/api/v1/settings/workspace', patch),
};
