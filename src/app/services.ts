import type { Kysely } from 'kysely';
import type { AppServices } from '../api/context.ts';
import type { Database } from '../db/schema.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * Starts the long-lived services (vault, sync supervisor, event bus...) in dependency order and stops them
 * in reverse. Each feature adds itself here.
 */
export async function startServices(_deps: { config: Config; db: Kysely<Database>; log: Logger }): Promise<{ services: AppServices; stop(): Promise<void> }> {
  const services = {} as AppServices;
  const stops: Array<() => Promise<void>> = [];
  return {
    services,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
