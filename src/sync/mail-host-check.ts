import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DomainError } from '../kernel/index.ts';
import {
  assertHostAllowed,
  checkedLookup,
  HostNotAllowedError,
  type HostPolicy,
  hostPolicyFor,
  type MailHostSettings,
} from '../mailboxes/host-policy.ts';
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
 * The role whose host policy the saved server passed when it was set: that of whoever last set it
 * (the bind, or an update that changed `imap` or the EWS address, from the audit log), else the binder,
 * else the owner. For Graph and EWS mailboxes imap_host is the host of their URL.
 */
async function hostSetterRole(db: Kysely<Database>, mailbox: MailboxRow): Promise<string> {
  const setter = await db
    .selectFrom('audit_log')
    .select('actor_user_id')
    .where('target_type', '=', 'mailbox')
    .where('target_id', '=', mailbox.id)
    .where((eb) =>
      eb.or([
        eb('action', '=', 'mailbox.bind'),
        eb.and([eb('action', '=', 'mailbox.update'), sql<boolean>`detail->'changed' ?| array['imap', 'ews']`]),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const userId = setter?.actor_user_id ?? mailbox.created_by ?? mailbox.owner_user_id;
  const user = await db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
  return user?.role ?? 'member';
}

/**
 * A look-up that asks `base` once and answers every later call with that answer: a second check of the
 * same name under other rules judges the same addresses, with no second DNS query.
 */
function askedOnce(base: LookupFunction): LookupFunction {
  let answer: Promise<unknown[]> | undefined;
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    answer ??= new Promise((resolve) => base(hostname, options, (...args: unknown[]) => resolve(args)));
    answer.then(
      (args) => callback(...args),
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;
}

/** Why `host` is refused under `policy` (its first refused address), or null when it may be reached. */
async function refusal(host: string, policy: HostPolicy, lookup: LookupFunction): Promise<HostNotAllowedError | null> {
  try {
    await assertHostAllowed(host, checkedLookup(policy, lookup));
    return null;
  } catch (error) {
    // A name that does not resolve is left to the connection.
    return error instanceof HostNotAllowedError ? error : null;
  }
}

/**
 * The connection test checked the server's addresses when its settings were saved, but the sync engine
 * connects by name, again and again, and DNS may since have moved the name to the machine Tidings runs
 * on, the cloud's metadata service or the office LAN. So before each connection the name is resolved and
 * checked again, under the policy it passed when it was set. A refused address throws
 * SyncHostNotAllowedError (the mailbox then needs attention); a name that does not resolve is left to the
 * connection, which reports and retries it as usual.
 *
 * Roles differ only in private addresses, so the name is judged under a member's rules first and the
 * setter's role is read from the database only when those refuse a private address.
 */
export async function assertSyncHostAllowed(mailbox: MailboxRow, check: SyncHostCheck): Promise<void> {
  const lookup = askedOnce(check.lookup ?? (dns.lookup as LookupFunction));
  let refused = await refusal(mailbox.imap_host, hostPolicyFor({ role: 'member' }, check.settings), lookup);
  if (refused?.why === 'private') {
    const role = await hostSetterRole(check.db, mailbox);
    if (role !== 'member') refused = await refusal(mailbox.imap_host, hostPolicyFor({ role }, check.settings), lookup);
  }
  if (refused) {
    throw new SyncHostNotAllowedError(
      'host_not_allowed',
      `${mailbox.imap_host} now resolves to a ${refused.why} address, which this mailbox may not use; nothing was sent to it. ` +
        'Check the server name in the mailbox settings.',
    );
  }
}

/** The connector factory's host check for these rules. */
export function syncHostChecker(check: SyncHostCheck): (mailbox: MailboxRow) => Promise<void> {
  return (mailbox) => assertSyncHostAllowed(mailbox, check);
}
