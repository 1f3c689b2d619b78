import type { User } from '../../api/types.ts';
import type { ResponseOf } from '../../api/schema-types.ts';

/** Shapes of the security-related API as the web app receives them (see src/api/routes). */

/** The API's user, with the two-factor state the shared `User` type does not carry. */
export type SecurityUser = User & { twoFactorEnabled: boolean };

export type TwoFactorSetup = ResponseOf<'/api/v1/me/two-factor/setup', 'post'>;
export type WorkspaceSettings = ResponseOf<'/api/v1/settings/workspace', 'get'>['settings'];

// TODO(api-schema): GET /api/v1/audit has no response schema yet.
export interface AuditActor {
  id: string;
  name: string | null;
  email: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  actor: AuditActor | null;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

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
