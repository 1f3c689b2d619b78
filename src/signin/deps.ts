import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../kernel/index.ts';
import type { Vault } from '../vault/index.ts';
import type { SigninConfig } from './providers.ts';

/** What the sign-in module needs from the composition root. */
export interface SigninDeps {
  db: Kysely<Database>;
  vault: Vault;
  log: Logger;
  signin: SigninConfig;
  /** `${TIDINGS_BASE_URL}/oauth/callback`. */
  redirectUri: string;
  /** The public base URL (invitation links). */
  baseUrl: string;
  /** Per request to the provider; default 15 s. */
  timeoutMs?: number;
  /** A mailbox's sign-in changed (Sign in again): let the sync engine pick it up now. */
  mailboxChanged?: (mailboxId: string) => void;
}

/** The public address Tidings answers at: TIDINGS_BASE_URL, else this machine on the port it listens on. */
export function publicBaseUrl(config: { baseUrl: string | null; port: number }): string {
  return (config.baseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

export function redirectUriFor(config: { baseUrl: string | null; port: number }): string {
  return `${publicBaseUrl(config)}/oauth/callback`;
}
