/** The logger type every module takes; `src/app/logger.ts` creates the one instance (pino, redacting). */
export type { Logger } from 'pino';
