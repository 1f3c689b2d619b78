import { createHash } from 'node:crypto';
import tls, { type ConnectionOptions, type SecureContext, type SecureContextOptions } from 'node:tls';

/** Contexts kept, least recently used dropped first: one per distinct trust (extra CAs, pinned certificate). */
const MAX_CONTEXTS = 64;
const contexts = new Map<string, SecureContext>();

/**
 * `options` with its trust settings (CA list, partial chains, minimum version) moved into a SecureContext
 * shared by every connection that trusts the same certificates. Without it Node builds a context per
 * connection, and one holding the system roots plus an extra or pinned certificate parses all of them
 * again: about 0.8 MB per open connection (docs/performance.md, "1,000 mailboxes").
 */
export function withSharedContext(options: ConnectionOptions): ConnectionOptions {
  const { ca, minVersion, allowPartialTrustChain, ...perConnection } = options as ConnectionOptions & { allowPartialTrustChain?: boolean };
  const trust = { ca, minVersion, allowPartialTrustChain } as SecureContextOptions;
  const key = createHash('sha256').update(JSON.stringify(trust)).digest('base64');
  const context = contexts.get(key) ?? tls.createSecureContext(trust);
  contexts.delete(key);
  contexts.set(key, context);
  if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
  return { ...perConnection, secureContext: context };
}
