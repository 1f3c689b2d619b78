import { DomainError } from '../kernel/index.ts';

export type OpsErrorCode =
  | 'copy_mismatch'
  | 'target_not_empty'
  | 'migrations_differ'
  | 'backup_invalid'
  | 'blob_missing'
  | 'blob_count_mismatch'
  | 'blob_target_not_empty';

/** Moving, backing up and restoring a database: refusals and failed checks, each with a code. */
export class OpsError extends DomainError<OpsErrorCode> {}
