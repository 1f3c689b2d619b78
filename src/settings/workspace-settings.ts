import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';

/** Workspace-wide settings an admin controls; stored as one JSON row per key with these defaults. */
export const workspaceSettingsSchema = z.strictObject({
  /** Members may bind their own mailboxes (admins always can, for anyone). */
  membersCanBindMailboxes: z.boolean(),
  /** Warn when a mailbox password or authorization code is older than this ("change passwords regularly"). */
  credentialMaxAgeDays: z.number().int().min(7).max(3650),
  /** Default polling interval for servers without IDLE, in minutes. */
  defaultSyncIntervalMinutes: z.number().int().min(1).max(60),
  /** The company's own email domains: colleagues, never turned into contacts. */
  workspaceDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain'),
    )
    .max(50),
  /** Automatic contact creation may also make contacts of people at free-mail providers (gmail.com, qq.com...). */
  autoContactsFromFreeMail: z.boolean(),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const defaultWorkspaceSettings: WorkspaceSettings = {
  membersCanBindMailboxes: false,
  credentialMaxAgeDays: 180,
  defaultSyncIntervalMinutes: 5,
  workspaceDomains: [],
  autoContactsFromFreeMail: false,
};

export async function getWorkspaceSettings(db: Kysely<Database> | Transaction<Database>): Promise<WorkspaceSettings> {
  const rows = await db.selectFrom('workspace_settings').select(['key', 'value']).execute();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const merged = { ...defaultWorkspaceSettings };
  for (const key of Object.keys(defaultWorkspaceSettings) as Array<keyof WorkspaceSettings>) {
    const parsed = workspaceSettingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) (merged as Record<string, unknown>)[key] = parsed.data;
  }
  return merged;
}

export async function updateWorkspaceSettings(
  db: Kysely<Database> | Transaction<Database>,
  patch: Partial<WorkspaceSettings>,
): Promise<WorkspaceSettings> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    await db
      .insertInto('workspace_settings')
      .values({ key, value: JSON.stringify(value) as never, updated_at: new Date() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value`, updated_at: new Date() }))
      .execute();
  }
  return getWorkspaceSettings(db);
}
