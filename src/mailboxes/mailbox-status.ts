import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ConnectionTestResult } from './connection-test.ts';
import type { MailboxStatus } from './tables.ts';

/**
 * The one place that decides a mailbox's `status` and `status_reason`. Commands put the columns returned
 * here into their own row writes (one transaction with the audit); the sync engine and "Sync now" write
 * through the functions below.
 */
export interface StatusColumns {
  status: MailboxStatus;
  status_reason?: string | null;
  /** Why it needs attention, as a code of the one failure catalogue (src/mailboxes/probe); null when it does not. */
  status_code?: string | null;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** What a connection test says about the mailbox: active when it passed, otherwise needs attention and why. */
export function statusAfterTest(test: ConnectionTestResult, reasonPrefix?: string): StatusColumns {
  if (test.ok) return { status: 'active', status_reason: null, status_code: null };
  const failure = test.imap.failure ?? test.smtp?.failure;
  const reason = failure?.message.en;
  return {
    status: 'needs_attention',
    status_reason: reasonPrefix === undefined ? (reason ?? null) : `${reasonPrefix}${reason ?? ''}`,
    status_code: failure?.code ?? null,
  };
}

/** Status when the owner resumes a paused mailbox without a new test: back to what its last test said. */
export function statusOnResume(lastTestOk: boolean | null): StatusColumns {
  return { status: lastTestOk === false ? 'needs_attention' : 'active' };
}

/**
 * The sync engine gives up until someone acts (repeated login refusals, no stored secret). `code` is the
 * failure's code in the one catalogue, which the UI explains in the reader's language; `reason` is the
 * English detail kept for logs and the API.
 */
export async function markNeedsAttention(db: Executor, mailboxId: string, reason: string, code: string): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({ status: 'needs_attention', status_reason: reason.slice(0, 500), status_code: code })
    .where('id', '=', mailboxId)
    .execute();
}

/** Back to active, but only from one of `from` (a paused mailbox stays paused). */
export async function reactivateMailbox(db: Executor, mailboxId: string, from: MailboxStatus[]): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({ status: 'active', status_reason: null, status_code: null })
    .where('id', '=', mailboxId)
    .where('status', 'in', from)
    .execute();
}

/** A new sign-in (OAuth "Sign in again") was stored: the mailbox works again unless its owner paused it. */
export function statusAfterSignIn(current: MailboxStatus): StatusColumns {
  return current === 'paused' ? { status: 'paused' } : { status: 'active', status_reason: null, status_code: null };
}
