import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { MailboxRow } from '../../mailboxes/tables.ts';
import { requireApp } from '../apps.ts';
import type { SigninDeps } from '../deps.ts';
import { OrgGrantError } from './errors.ts';
import { findOrgGrant, GOOGLE_MAIL_SCOPE, MICROSOFT_APP_SCOPE, type OrgProvider } from './org-grants.ts';
import { organisationTokensFor } from './org-tokens.ts';
import type { SigninOrgGrantRow } from './tables.ts';

/** The organisation grants as the mailbox module's bulk binding sees them. */
/** An organisation grant ready to bind with: the client its tokens are issued to. */
export interface OrgGrantHandle extends SigninOrgGrantRow {
  /** Microsoft: the sign-in app's application id; Google: the service account's client id. */
  clientId: string;
}

export interface OrganisationAccess {
  /** The provider's organisation grant, or org_grant_missing. */
  grantFor(provider: OrgProvider): Promise<OrgGrantHandle>;
  /** An access token for `address` (org_domain_not_covered when the grant does not cover it). */
  accessTokenFor(org: SigninOrgGrantRow, address: string): Promise<string>;
  /** In the binding's transaction: the mailbox's grant, kind 'organisation', no refresh token. */
  attach(trx: Transaction<Database>, org: OrgGrantHandle, mailbox: MailboxRow): Promise<void>;
}

export function organisationAccess(deps: SigninDeps): OrganisationAccess {
  const tokens = organisationTokensFor(deps);
  return {
    async grantFor(provider) {
      const org = await findOrgGrant(deps.db, provider);
      if (!org)
        throw new OrgGrantError(
          'org_grant_missing',
          `No organisation access is set up for ${provider === 'google' ? 'Google Workspace' : 'Microsoft 365'}. An admin sets it up in Settings › Organisation access.`,
        );
      // Read now, not inside the binding's transaction (the embedded database has one connection).
      const clientId = org.provider === 'google' ? org.service_account_client_id! : (await requireApp(deps, 'microsoft')).clientId;
      return { ...org, clientId };
    },
    async accessTokenFor(org, address) {
      return (await tokens.tokenFor(org, address)).accessToken;
    },
    async attach(trx, org, mailbox) {
      await trx
        .insertInto('signin_grants')
        .values({
          kind: 'organisation',
          org_grant_id: org.id,
          provider: org.provider,
          client_id: org.clientId,
          subject: mailbox.email,
          email: mailbox.email,
          scope: org.provider === 'google' ? GOOGLE_MAIL_SCOPE : MICROSOFT_APP_SCOPE,
          refresh_secret_id: null,
          mailbox_id: mailbox.id,
        })
        .execute();
    },
  };
}
