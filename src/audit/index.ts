import type { Kysely, Transaction } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';

export { listAuditEntries, type AuditEntryView, type AuditQuery } from './list.ts';

/** Who writes, and from where: every audit line records both. */
export interface Actor {
  user: User;
  ip: string | null;
}

export interface AuditEntry {
  actorUserId: string | null;
  action: string; // e.g. 'user.create', 'mailbox.update'
  targetType?: string;
  targetId?: string;
  /** What changed, by field name. Callers pass names of secret fields, never their values. */
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends one line to the audit trail. Takes a transaction where the change it records is written. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}
