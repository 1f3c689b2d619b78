import { DomainError } from '../../kernel/index.ts';

/**
 * Organisation-wide access (Microsoft 365 application permissions, Google Workspace domain-wide
 * delegation). Token-endpoint failures that are not specific to it stay SigninErrors (oauth_*).
 */
export type OrgGrantErrorCode =
  /** No organisation access is set up for that provider. */
  | 'org_grant_missing'
  /** The address is not in one of the domains the organisation grant covers. */
  | 'org_domain_not_covered'
  /** Client credentials need a confidential client: the Microsoft sign-in app has no secret. */
  | 'org_app_secret_required'
  /** Client credentials need one tenant, not common / organizations / consumers. */
  | 'org_tenant_required'
  /** The uploaded file is not a Google service account key, or its private key is unusable. */
  | 'org_key_invalid'
  /** Google: the service account's client id is not allowed domain-wide delegation with the mail scope. */
  | 'org_delegation_missing'
  /** Google: the user does not exist in the Workspace (or is suspended). */
  | 'org_user_unknown'
  /** A bulk binding names no rows, too many, or a row is malformed. */
  | 'org_bind_rows_invalid';

export class OrgGrantError extends DomainError<OrgGrantErrorCode> {}
