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

export const errorSections: Record<string, Record<string, number>> = {
  common,
  api: apiErrorStatuses,
};

export const statusByCode: ReadonlyMap<string, number> = new Map(Object.values(errorSections).flatMap((section) => Object.entries(section)));

/** The status for a domain error's code; a code nobody mapped is our bug, so it is a 500. */
export function statusForCode(code: string): number {
  return statusByCode.get(code) ?? 500;
}
