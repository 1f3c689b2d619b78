import type { LookupFunction } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DomainError } from '../kernel/index.ts';
import { assertHostAllowed, checkedLookup, HostNotAllowedError, hostPolicyFor, type MailHostSettings } from '../mailboxes/host-policy.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';

/** What the connect-time check needs: the operator's rules and who set each mailbox's server. */
export interface SyncHostCheck {
  db: Kysely<Database>;
  settings: MailHostSettings;
  /** Tests: the name look-up behind the check (default: the system's, as the connection uses). */
  lookup?: LookupFunction;
}

/** The saved server now resolves to an address its mailbox may not use: someone must look at it. */
export class SyncHostNotAllowedError extends DomainError<'host_not_allowed'> {}

/**
 * The role whose host policy the saved IMAP server passed when it was set: that of whoever last set it
 * (the bind, or an update that changed `imap`, from the audit log), else the binder, else the owner.
 */
async function hostSetterRole(db: Kysely<Database>, mailbox: MailboxRow): Promise<string> {
  const setter = await db
    .selectFrom('audit_log')
    .select('actor_user_id')
    .where('target_type', '=', 'mailbox')
    .where('target_id', '=', mailbox.id)
    .where((eb) =>
      eb.or([eb('action', '=', 'mailbox.bind'), eb.and([eb('action', '=', 'mailbox.update'), sql<boolean>`detail->'changed' ? 'imap'`])]),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const userId = setter?.actor_user_id ?? mailbox.created_by ?? mailbox.owner_user_id;
  const user = await db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
  return user?.role ?? 'member';
}

/**
 * The connection test checked the server's addresses when its settings were saved, but the sync engine
 * connects by name, again and again, and DNS may since have moved the name to the machine Tidings runs
 * on, the cloud's metadata service or the office LAN. So before each connection the name is resolved and
 * checked again, under the policy it passed when it was set. A refused address throws
 * SyncHostNotAllowedError (the mailbox then needs attention); a name that does not resolve is left to the
 * connection, which reports and retries it as usual.
 */
export async function assertSyncHostAllowed(mailbox: MailboxRow, check: SyncHostCheck): Promise<void> {
  const policy = hostPolicyFor({ role: await hostSetterRole(check.db, mailbox) }, check.settings);
  try {
    await assertHostAllowed(mailbox.imap_host, checkedLookup(policy, check.lookup));
  } catch (error) {
    if (!(error instanceof HostNotAllowedError)) return;
    throw new SyncHostNotAllowedError(
      'host_not_allowed',
      `${mailbox.imap_host} now resolves to a ${error.why} address, which this mailbox may not use; nothing was sent to it. ` +
        'Check the server name in the mailbox settings.',
    );
  }
}

/** The connector factory's host check for these rules. */
export function syncHostChecker(check: SyncHostCheck): (mailbox: MailboxRow) => Promise<void> {
  return (mailbox) => assertSyncHostAllowed(mailbox, check);
}
