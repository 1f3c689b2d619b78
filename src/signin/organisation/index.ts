export { OrgGrantError, type OrgGrantErrorCode } from './errors.ts';
export { organisationAccess, type OrganisationAccess, type OrgGrantHandle } from './org-access.ts';
export {
  deleteOrgGrant,
  GOOGLE_MAIL_SCOPE,
  MICROSOFT_APP_SCOPE,
  presentOrgGrants,
  saveGoogleOrgGrant,
  saveMicrosoftOrgGrant,
  type OrgProvider,
} from './org-grants.ts';
export { organisationGuides } from './org-guide.ts';
export type { SigninOrgGrantRow } from './tables.ts';
export { ORG_MESSAGES } from './org-messages.ts';
