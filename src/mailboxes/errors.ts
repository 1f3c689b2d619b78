import { DomainError } from '../kernel/index.ts';

export type MailboxErrorCode =
  | 'binding_not_allowed'
  | 'certificate_trust_not_allowed'
  | 'connection_test_failed'
  | 'ews_oauth_not_supported'
  | 'ews_url_unknown'
  | 'graph_signin_required'
  | 'imap_server_required'
  | 'mailbox_exists'
  | 'protocol_field_not_used'
  | 'secret_required_for_new_destination'
  | 'unknown_mailbox_owner'
  | 'visibility_widening_not_allowed';

export class MailboxError extends DomainError<MailboxErrorCode> {}
