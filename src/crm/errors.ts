import { DomainError } from '../kernel/index.ts';

/** The CRM's own error codes; their HTTP statuses are the `crm` section of src/api/error-statuses.ts. */
export type CrmErrorCode =
  | 'invalid_sort'
  | 'invalid_amount'
  | 'unknown_owner'
  | 'unknown_company'
  | 'unknown_contact'
  | 'unknown_deal'
  | 'unknown_stage'
  | 'invalid_domain'
  | 'public_mail_domain'
  | 'domain_in_use'
  | 'email_in_use'
  | 'lost_reason_required'
  | 'no_open_stage'
  | 'invalid_order'
  | 'stage_in_use'
  | 'field_not_for_kind'
  | 'activity_empty'
  | 'purchase_unlinked'
  | 'csv_malformed'
  | 'csv_empty'
  | 'csv_too_many_rows'
  | 'csv_missing_column'
  | 'csv_too_complex'
  | 'import_rejected'
  | 'reminder_not_found'
  | 'reminder_not_due';

export class CrmError extends DomainError<CrmErrorCode> {}

/** A keyset cursor this API did not give out (or that no longer parses); shared with the timeline and audit lists. */
export class InvalidCursorError extends DomainError<'invalid_cursor'> {
  constructor(message = 'The cursor is not one this API gave out.') {
    super('invalid_cursor', message);
  }
}
