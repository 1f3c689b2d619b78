import type { User } from '../../api/types.ts';
import type { ResponseOf } from '../../api/schema-types.ts';

/** Shapes of the security-related API as the web app receives them (see src/api/routes). */

/** The API's user, with the two-factor state the shared `User` type does not carry. */
export type SecurityUser = User & { twoFactorEnabled: boolean };

export type TwoFactorSetup = ResponseOf<'/api/v1/me/two-factor/setup', 'post'>;
export type SessionInfo = ResponseOf<'/api/v1/me/sessions', 'get'>['items'][number];
export type WorkspaceSettings = ResponseOf<'/api/v1/settings/workspace', 'get'>['settings'];

export type AuditPage = ResponseOf<'/api/v1/audit', 'get'>;
export type AuditEntry = AuditPage['items'][number];
export type AuditActor = NonNullable<AuditEntry['actor']>;

export interface AuditQuery {
  limit?: number;
  cursor?: string | null;
  /** An action prefix: `mailbox.` shows every mailbox entry. */
  action?: string | null;
}

/** Settings limits as the server enforces them (src/settings/workspace-settings.ts). */
export const WORKSPACE_LIMITS = {
  credentialMaxAgeDays: { min: 7, max: 3650 },
  defaultSyncIntervalMinutes: { min: 1, max: 60 },
  workspaceDomains: { max: 50 },
} as const;

/** The server's domain rule, applied before saving so a typo is caught at the tag. */
export function isDomain(value: string): boolean {
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(value.trim().toLowerCase());
}
