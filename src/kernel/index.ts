// What every module may import. Nothing in src/kernel imports another module of ours.
export { DomainError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
export type { CommonErrorCode, DomainErrorOptions, FieldError } from './errors.ts';
export { isDatabaseBusy, isUniqueViolation } from './database-errors.ts';
export type { Logger } from './logger.ts';
export { startModuleWorker } from './module-worker.ts';
export { version } from './version.ts';
export { serialJobs } from './serial-jobs.ts';
export { type ClaimLoop, claimLoop, type LeasedWorkerOptions, leaseHolder } from './claim-loop.ts';
export { decodeTimeIdCursor, encodeTimeIdCursor, type TimeIdCursor } from './time-id-cursor.ts';
export { type TimeIdOrder, timeIdPage } from './time-id-page.ts';
export { type ColumnOf, columnOf, iso, isoOrNull, storedFields, timestampSchema } from './fields.ts';
