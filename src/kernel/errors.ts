/**
 * The one error family. Domain code throws a `DomainError` (or a module's subclass of it) with a stable
 * snake_case `code`; it never names an HTTP status. `src/api/error-statuses.ts` is the one table that
 * turns a code into a status, and the sync engine turns connector codes into sync states.
 */

export interface DomainErrorOptions {
  cause?: unknown;
  /**
   * Facts a client may act on (field errors, a connection-test report). They reach the API answer as
   * they are, so they must never hold a secret.
   */
  details?: Record<string, unknown>;
  /** When the same request may succeed again (rate limits); the API sends it as Retry-After. */
  retryAfterSeconds?: number;
}

export class DomainError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: Code, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Codes any module may use; each module declares the rest beside its own errors. */
export type CommonErrorCode = 'not_found' | 'forbidden' | 'validation_failed' | 'invalid_cursor';

export class NotFoundError extends DomainError<'not_found'> {
  constructor(what = 'resource', options?: DomainErrorOptions) {
    super('not_found', `The ${what} does not exist.`, options);
  }
}

export class ForbiddenError extends DomainError<'forbidden'> {
  constructor(message = 'You are not allowed to do this.', options?: DomainErrorOptions) {
    super('forbidden', message, options);
  }
}

export interface FieldError {
  path: string;
  message: string;
}

/** Input the request schema cannot judge but a module can, with the same code and status (400) as a schema failure. */
export class ValidationError extends DomainError<'validation_failed'> {
  constructor(message: string, errors: FieldError[] = [], options?: DomainErrorOptions) {
    super('validation_failed', message, { ...options, details: { ...options?.details, errors } });
  }
}
