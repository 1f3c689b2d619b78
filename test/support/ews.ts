import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import type { Vault } from '../../src/vault/index.ts';
import type { EwsServerInstance } from '../harness/index.ts';

/**
 * A mailbox on the EWS harness, stored as binding leaves it (protocol 'ews', api_url the endpoint, host
 * and port beside it, the harness's certificate pinned, the password in the vault). Returns its id.
 */
export async function insertEwsMailbox(
  db: Kysely<Database>,
  vault: Vault,
  ews: Pick<EwsServerInstance, 'url' | 'port' | 'certPem'>,
  opts: { ownerUserId: string; email: string; username: string; password: string; syncFolders?: string[] },
): Promise<string> {
  const secretId = await vault.put(db, { ownerType: 'mailbox', ownerId: null, kind: 'password' }, opts.password);
  const row = await db
    .insertInto('mailboxes')
    .values({
      owner_user_id: opts.ownerUserId,
      created_by: opts.ownerUserId,
      email: opts.email,
      provider_id: 'exchange',
      protocol: 'ews',
      api_url: ews.url,
      imap_host: '127.0.0.1',
      imap_port: ews.port,
      imap_security: 'tls',
      username: opts.username,
      auth_kind: 'password',
      secret_id: secretId,
      visibility: 'private',
      imap_pinned_cert: ews.certPem,
      backfill: 'all',
      ...(opts.syncFolders && { sync_folders: JSON.stringify(opts.syncFolders) }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
