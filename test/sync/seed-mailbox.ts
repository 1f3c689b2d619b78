import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import { backfillFrom } from '../../src/mailboxes/backfill.ts';
import type { Backfill, Visibility } from '../../src/mailboxes/tables.ts';
import type { Vault } from '../../src/vault/index.ts';
import type { DovecotInstance } from '../harness/index.ts';

/** An admin to own seeded mailboxes, for set-ups without the app's first-run flow. */
export async function insertOwner(db: Kysely<Database>): Promise<string> {
  const user = await db.insertInto('users').values({ email: 'owner@example.com', name: 'Owner', role: 'admin', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
  return user.id;
}

/**
 * A mailbox on the harness's Dovecot, stored as binding leaves it but without the connection test:
 * for the sync tests and the benchmark, which start their own sync. Returns its id.
 */
export async function insertMailbox(
  db: Kysely<Database>,
  vault: Vault,
  server: Pick<DovecotInstance, 'imapsPort' | 'certPem'>,
  opts: { ownerUserId: string; createdBy?: string; email: string; password: string; backfill?: Backfill; visibility?: Visibility; syncFolders?: string[] },
): Promise<string> {
  const backfill = opts.backfill ?? 'all';
  const secretId = await vault.put(db, { ownerType: 'mailbox', ownerId: null, kind: 'password' }, opts.password);
  const row = await db.insertInto('mailboxes').values({
    owner_user_id: opts.ownerUserId, created_by: opts.createdBy ?? null, email: opts.email, provider_id: 'custom',
    imap_host: '127.0.0.1', imap_port: server.imapsPort, imap_security: 'tls', username: opts.email, auth_kind: 'password',
    secret_id: secretId, imap_pinned_cert: server.certPem, backfill, backfill_from: backfillFrom(backfill, new Date()),
    visibility: opts.visibility ?? 'private', sync_folders: opts.syncFolders ? JSON.stringify(opts.syncFolders) : null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
