import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { statusAfterSignIn } from '../mailboxes/mailbox-status.ts';
import { updateMailboxRow } from '../mailboxes/repository.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { Vault } from '../vault/index.ts';
import type { SigninDeps } from './deps.ts';
import { attachGrant } from './grants.ts';

/**
 * Makes a grant the mailbox's way to sign in: the previous grant (or password) goes, auth_kind becomes
 * oauth2 and a mailbox waiting in needs_attention is active again. Its folders keep their cursors, so the
 * sync resumes where it stopped.
 */
export async function switchMailboxToGrant(
  trx: Transaction<Database>,
  vault: Vault,
  grantId: string,
  mailbox: MailboxRow,
): Promise<MailboxRow> {
  await attachGrant(trx, vault, grantId, mailbox.id);
  const updated = await updateMailboxRow(trx, mailbox.id, { auth_kind: 'oauth2', secret_id: null, ...statusAfterSignIn(mailbox.status) });
  // The row names the password no longer: only now may it leave the vault (mailboxes.secret_id references it).
  if (mailbox.secret_id) await vault.delete(trx, mailbox.secret_id);
  return updated;
}

/** "Sign in again" completed with the mailbox's own address: apply it now and wake the mailbox's sync. */
export async function applyReauth(
  deps: SigninDeps,
  p: { flowId: string; grantId: string; mailboxId: string; actorUserId: string },
): Promise<void> {
  const applied = await deps.db.transaction().execute(async (trx) => {
    const mailbox = await trx.selectFrom('mailboxes').selectAll().where('id', '=', p.mailboxId).forUpdate().executeTakeFirst();
    if (!mailbox) return false;
    const used = await trx
      .updateTable('signin_flows')
      .set({ status: 'used', updated_at: new Date() })
      .where('id', '=', p.flowId)
      .where('status', '=', 'signed_in')
      .returning('id')
      .executeTakeFirst();
    if (!used) return false;
    await switchMailboxToGrant(trx, deps.vault, p.grantId, mailbox);
    await recordAudit(trx, {
      actorUserId: p.actorUserId,
      action: 'mailbox.reauth',
      targetType: 'mailbox',
      targetId: mailbox.id,
      detail: { email: mailbox.email, wasStatus: mailbox.status },
    });
    return true;
  });
  if (applied) deps.mailboxChanged?.(p.mailboxId);
}
