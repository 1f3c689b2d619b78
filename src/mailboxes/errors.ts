import { DomainError } from '../kernel/index.ts';

export type MailboxErrorCode = 'binding_not_allowed' | 'connection_test_failed' | 'mailbox_exists' | 'unknown_mailbox_owner';

export class MailboxError extends DomainError<MailboxErrorCode> {}
