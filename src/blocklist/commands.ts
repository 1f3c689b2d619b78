import type { Kysely, Transaction } from 'kysely';
import { type Actor, recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { ForbiddenError, NotFoundError } from '../kernel/index.ts';
import { type BlocklistEntryView, presentEntry } from './presenter.ts';
import { addEntry, findEntry, listEntries, normaliseBlockValue, removeEntry } from './repository.ts';
import type { BlockKind, BlockScope, BlocklistEntry } from './tables.ts';

// Workspace entries (admins only) hide mail from everyone and keep the linker from creating contacts from
// it, so they are audited; user entries hide mail from their owner only. Removing an entry shows the mail again.

function auditWorkspaceEntry(trx: Transaction<Database>, actor: Actor, action: string, entry: BlocklistEntry): Promise<void> {
  const { id, kind, value } = entry;
  return recordAudit(trx, {
    actorUserId: actor.user.id,
    action,
    targetType: 'blocklist_entry',
    targetId: id,
    ip: actor.ip,
    detail: { kind, value },
  });
}

const adminsOnly = () => new ForbiddenError('Only admins change the workspace blocklist.');

/** The workspace's entries and the caller's own. */
export async function readBlocklist(db: Kysely<Database>, userId: string): Promise<BlocklistEntryView[]> {
  return (await listEntries(db, userId)).map(presentEntry);
}

/** Adds an entry (409 already_blocked, 422 invalid_value). */
export async function blockValue(
  db: Kysely<Database>,
  actor: Actor,
  input: { scope: BlockScope; kind: BlockKind; value: string },
): Promise<BlocklistEntryView> {
  if (input.scope === 'workspace' && actor.user.role !== 'admin') throw adminsOnly();
  const value = normaliseBlockValue(input.kind, input.value);
  return db.transaction().execute(async (trx) => {
    const entry = await addEntry(trx, { scope: input.scope, userId: actor.user.id, kind: input.kind, value, createdBy: actor.user.id });
    if (input.scope === 'workspace') {
      await auditWorkspaceEntry(trx, actor, 'blocklist.add', entry);
    }
    return presentEntry(entry);
  });
}

/** Removes an entry; another user's entry does not exist for the caller. */
export async function unblockEntry(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  const entry = await findEntry(db, id);
  if (!entry || (entry.scope === 'user' && entry.user_id !== actor.user.id)) throw new NotFoundError('blocklist entry');
  if (entry.scope === 'workspace' && actor.user.role !== 'admin') throw adminsOnly();
  await db.transaction().execute(async (trx) => {
    await removeEntry(trx, entry.id);
    if (entry.scope === 'workspace') {
      await auditWorkspaceEntry(trx, actor, 'blocklist.remove', entry);
    }
  });
}
