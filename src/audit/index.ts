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

/** An audit line as a command writes it: who and from where come from the command's actor. */
export type AuditLine = Omit<AuditEntry, 'actorUserId' | 'ip'>;

/** Appends `line` as done by `actor`. Takes the transaction where the change it records is written. */
export function recordAuditBy(db: Kysely<Database> | Transaction<Database>, actor: Actor, line: AuditLine): Promise<void> {
  return recordAudit(db, { ...line, actorUserId: actor.user.id, ip: actor.ip });
}

/**
 * The one shape of an audited write: `work` and its audit line commit in one transaction. `work` answers
 * no line (null) when it changed nothing, e.g. deleting what is already gone.
 */
export async function auditedWrite<T>(
  db: Kysely<Database>,
  actor: Actor,
  work: (trx: Transaction<Database>) => Promise<{ result: T; audit: AuditLine | null }>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const { result, audit } = await work(trx);
    if (audit) await recordAuditBy(trx, actor, audit);
    return result;
  });
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
