import { pino, type Logger } from 'pino';

/**
 * Paths pino removes from every log line. Secrets must never be logged; the list is broad on purpose
 * (request bodies are not logged at all, but a careless `log.info({ mailbox })` must still be safe).
 */
export const redactedPaths = [
  'password',
  '*.password',
  '*.*.password',
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'auth.pass',
  '*.auth.pass',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination as never) : pino(options);
}

export type { Logger };
