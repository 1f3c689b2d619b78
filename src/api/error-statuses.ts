import type { BlocklistErrorCode } from '../blocklist/index.ts';
import type { CrmErrorCode } from '../crm/index.ts';
import type { CommonErrorCode } from '../kernel/index.ts';

/**
 * The one table from a domain error's code to its HTTP status. Each module's codes are a section of
 * their own, typed against the module's code union so a code added there without a status here does not
 * compile. A code may stand in one section only (error-statuses.test.ts).
 */
const common = {
  not_found: 404,
  forbidden: 403,
  validation_failed: 422,
  invalid_cursor: 400,
} satisfies Record<CommonErrorCode, number>;

/** Errors the API layer raises itself (request shape, authentication). */
export const apiErrorStatuses = {
  bad_request: 400,
  unsupported_media_type: 415,
} as const;
export type ApiErrorCode = keyof typeof apiErrorStatuses;

const crm = {
  invalid_sort: 400,
  invalid_amount: 422,
  unknown_owner: 422,
  unknown_company: 422,
  unknown_contact: 422,
  unknown_deal: 422,
  unknown_stage: 422,
  invalid_domain: 422,
  public_mail_domain: 422,
  domain_in_use: 409,
  email_in_use: 409,
  lost_reason_required: 422,
  no_open_stage: 422,
  invalid_order: 422,
  stage_in_use: 409,
  field_not_for_kind: 422,
  activity_empty: 422,
  purchase_unlinked: 422,
  csv_malformed: 422,
  csv_empty: 422,
  csv_too_many_rows: 422,
  csv_missing_column: 422,
  import_rejected: 422,
  reminder_not_found: 404,
  reminder_not_due: 409,
} satisfies Record<CrmErrorCode, number>;

const blocklist = {
  already_blocked: 409,
  invalid_value: 422,
} satisfies Record<BlocklistErrorCode, number>;

export const errorSections: Record<string, Record<string, number>> = {
  common,
  api: apiErrorStatuses,
  crm,
  blocklist,
};

export const statusByCode: ReadonlyMap<string, number> = new Map(Object.values(errorSections).flatMap((section) => Object.entries(section)));

/** The status for a domain error's code; a code nobody mapped is our bug, so it is a 500. */
export function statusForCode(code: string): number {
  return statusByCode.get(code) ?? 500;
}
