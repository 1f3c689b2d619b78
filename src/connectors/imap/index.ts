export { createImapConnector, ImapConnector, FETCH_BATCH } from './imap-connector.ts';
export type { ImapSettings, ImapConnectorOptions } from './client-options.ts';
export type { ImapChangesOptions, ImapCursor } from './folder-changes.ts';
export { assignRoles } from './folder-roles.ts';
export type { ListedFolder } from './folder-roles.ts';
export { toConnectorError } from './imap-errors.ts';
