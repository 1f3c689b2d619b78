import type { Transaction } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { GrantTokenSource } from './access-tokens.ts';
import type { SigninDeps } from './deps.ts';
import { consumeFlow, signedInFlowFor } from './flows.ts';
import { attachGrant, deleteGrantOfMailbox } from './grants.ts';
import type { FlowPurpose, MailAccess } from './tables.ts';

/** A signed-in flow checked for a binding: what the mailbox module needs to test and then save it. */
export interface PreparedBinding {
  flowId: string;
  grantId: string;
  /** Whose mailbox it becomes (the flow decided it when it started). */
  ownerUserId: string | null;
  /** Set when the flow follows an admin's invitation: the invited owner may bind it whatever the member rules say. */
  invitationId: string | null;
}

/** The sign-in module as the mailbox commands see it. */
export interface MailboxSignin {
  prepareBinding(
    actor: User,
    signinId: string,
    opts: { email: string; confirmAddressMismatch?: boolean; purposes: FlowPurpose[]; access: MailAccess },
  ): Promise<PreparedBinding>;
  accessTokenForGrant(grantId: string): Promise<string>;
  accessTokenFor(mailbox: MailboxRow): Promise<string>;
  /**
   * In the binding's transaction: the flow is used once and its grant becomes the mailbox's (replacing an
   * earlier grant). The mailbox row itself (auth_kind, secret, status) is the mailbox command's to write.
   */
  commitBinding(trx: Transaction<Database>, binding: PreparedBinding, mailboxId: string): Promise<void>;
  /** In the unbinding's (or switch to a password's) transaction: the mailbox's tokens leave the vault. */
  forgetMailbox(trx: Transaction<Database>, mailboxId: string): Promise<void>;
}

export function mailboxSignin(deps: SigninDeps, tokens: GrantTokenSource): MailboxSignin {
  return {
    async prepareBinding(actor, signinId, opts) {
      const flow = await signedInFlowFor(deps.db, actor, signinId, opts);
      return { flowId: flow.id, grantId: flow.grant_id, ownerUserId: flow.owner_user_id, invitationId: flow.invitation_id };
    },
    accessTokenForGrant: (grantId) => tokens.accessTokenForGrant(grantId),
    accessTokenFor: (mailbox) => tokens.accessTokenFor(mailbox),
    async commitBinding(trx, binding, mailboxId) {
      await consumeFlow(trx, binding.flowId, mailboxId);
      await attachGrant(trx, deps.vault, binding.grantId, mailboxId);
    },
    forgetMailbox: (trx, mailboxId) => deleteGrantOfMailbox(trx, deps.vault, mailboxId),
  };
}
