/** PostgreSQL's unique_violation (SQLSTATE 23505), as both pg and PGlite report it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/**
 * The PostgreSQL pool had no connection free within its wait (pg-pool's own message): the server is
 * overloaded for a moment, which a client should retry, not a fault to answer with a 500.
 */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}
