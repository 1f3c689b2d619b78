import { DomainError } from '../../kernel/index.ts';
import type { Provider, ServerSetting } from '../catalogue/index.ts';

export type DiscoverySource = 'catalogue' | 'autoconfig' | 'mx' | 'srv' | 'exchange_autodiscover' | 'guess';

/** Highest first: a provider's own documentation beats what the domain publishes, which beats guessing. */
export const sourceRank: readonly DiscoverySource[] = ['catalogue', 'autoconfig', 'mx', 'srv', 'exchange_autodiscover', 'guess'];

export interface FetchTextOptions {
  timeoutMs: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** Everything discovery touches on the network; tests inject versions pointed at local servers. */
export interface DiscoveryDeps {
  resolveMx(domain: string): Promise<{ exchange: string; priority: number }[]>;
  resolveSrv(name: string): Promise<{ name: string; port: number; priority: number; weight: number }[]>;
  /** HTTPS only; every redirect target is checked (https, allowed host) before it is requested. */
  fetchText(url: string, opts: FetchTextOptions): Promise<{ status: number; body: string }>;
  /** True when the server's first line is an IMAP or SMTP greeting. */
  probeTcp(host: string, port: number, opts: { timeoutMs: number; tls: boolean }): Promise<boolean>;
}

export interface Suggestion {
  source: DiscoverySource;
  providerId?: string;
  imap?: ServerSetting;
  smtp?: ServerSetting;
  /** The actual username to sign in with. */
  username: string;
  ews?: { url: string };
  /** 0..1: how likely these settings work as they are. */
  confidence: number;
}

export type TriedOutcome = 'found' | 'none' | 'error' | 'timeout';

export interface TriedEntry {
  source: DiscoverySource;
  /** What was asked: a URL, a DNS name, host:port. */
  target: string;
  outcome: TriedOutcome;
  detail?: string;
}

export interface DiscoveryResult {
  email: string;
  domain: string;
  /** The catalogue entry for the domain itself, else for its MX hosts. */
  provider?: Provider;
  /** Ranked: catalogue > autoconfig > mx > srv > exchange_autodiscover > guess. */
  suggestions: Suggestion[];
  tried: TriedEntry[];
}

export interface DiscoverOptions {
  /** Overall budget; every source runs in parallel within it. Default 4000 ms. */
  timeoutMs?: number;
}

export type DiscoveryErrorCode = 'invalid_email' | 'timeout' | 'bad_response' | 'insecure_redirect' | 'host_not_allowed' | 'too_large';

/** `invalid_email` reaches the API (a 400); the others stay inside discovery, which reports them per source. */
export class DiscoveryError extends DomainError<DiscoveryErrorCode> {}
