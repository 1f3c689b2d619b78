export { discover, defaultDiscoveryTimeoutMs } from './discover.ts';
export { createDefaultDeps, type DefaultDepsOptions } from './default-deps.ts';
export { parseEmail, type ParsedEmail } from './email.ts';
export { parseClientConfig, type ClientConfig } from './autoconfig.ts';
export { parsePoxResponse, type PoxSettings } from './exchange-autodiscover.ts';
export {
  DiscoveryError,
  sourceRank,
  type DiscoverOptions,
  type DiscoveryDeps,
  type DiscoveryErrorCode,
  type DiscoveryResult,
  type DiscoverySource,
  type FetchTextOptions,
  type Suggestion,
  type TriedEntry,
  type TriedOutcome,
} from './types.ts';
