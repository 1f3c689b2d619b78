import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { updateWorkspaceSettings, type WorkspaceSettings } from './workspace-settings.ts';

/** An admin changes workspace settings; the audit trail names the keys that changed. */
export async function changeWorkspaceSettings(
  db: Kysely<Database>,
  adminId: string,
  patch: Partial<WorkspaceSettings>,
  ip: string,
): Promise<WorkspaceSettings> {
  return db.transaction().execute(async (trx) => {
    const updated = await updateWorkspaceSettings(trx, patch);
    await recordAudit(trx, { actorUserId: adminId, action: 'settings.update', detail: { changed: Object.keys(patch) }, ip });
    return updated;
  });
}
