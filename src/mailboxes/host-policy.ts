import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';

/**
 * Which addresses a connection test or discovery may reach on a user's say-so. Without it, "test this
 * mail server" lets anyone who may bind a mailbox probe the machine Tidings runs on, the cloud's metadata
 * service and the office LAN (SSRF).
 */
export interface HostPolicy {
  /** Loopback, link-local, unspecified and cloud metadata addresses (TIDINGS_ALLOW_LOCAL_MAIL_HOSTS). */
  allowLocal: boolean;
  /** 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7: admins always, members when the operator allows. */
  allowPrivate: boolean;
}

/** The operator's settings, from the configuration. */
export interface MailHostSettings {
  allowLocalMailHosts: boolean;
  allowPrivateMailHostsForMembers: boolean;
}

/** Companies run mail servers on their LAN, so admins reach private ranges; members only when allowed. */
export function hostPolicyFor(actor: { role: string }, settings: MailHostSettings): HostPolicy {
  return {
    allowLocal: settings.allowLocalMailHosts,
    allowPrivate: actor.role === 'admin' || settings.allowPrivateMailHostsForMembers,
  };
}

export type AddressClass = 'local' | 'private' | 'public';

function blockList(v4: [string, number][], v6: [string, number][]): net.BlockList {
  const list = new net.BlockList();
  for (const [address, prefix] of v4) list.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of v6) list.addSubnet(address, prefix, 'ipv6');
  return list;
}

// IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) match the IPv4 rules: net.BlockList maps them.
const LOCAL = blockList(
  [
    ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local machine
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, including 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
    ['100.100.100.200', 32], // Alibaba Cloud metadata
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, and the broadcast address
  ],
  [
    ['::', 128],
    ['::1', 128],
    ['fe80::', 10],
    ['fd00:ec2::254', 128], // AWS metadata over IPv6
    ['ff00::', 8],
  ],
);
const PRIVATE = blockList(
  [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['100.64.0.0', 10], // carrier-grade NAT, often a VPN
  ],
  [['fc00::', 7]],
);
/** Names that mean the metadata service whatever they resolve to. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

export function classifyAddress(address: string): AddressClass {
  const family = net.isIP(address);
  if (family === 0) return 'local'; // not an address at all: never connect to it
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOCAL.check(address, type)) return 'local';
  if (PRIVATE.check(address, type)) return 'private';
  return 'public';
}

/** Why this address may not be reached under `policy`, or null when it may. */
export function refusedAddress(address: string, policy: HostPolicy): AddressClass | null {
  const kind = classifyAddress(address);
  if (kind === 'local' && !policy.allowLocal) return 'local';
  if (kind === 'private' && !policy.allowPrivate) return 'private';
  return null;
}

/** A host name refused before any look-up (the metadata service by name). */
export function refusedName(host: string, policy: HostPolicy): AddressClass | null {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (policy.allowLocal) return null;
  // Other names (localhost included) are judged by the addresses they resolve to.
  return METADATA_NAMES.has(name) ? 'local' : null;
}

/** Thrown by the checked look-up: the name resolved to an address the policy refuses. */
export class HostNotAllowedError extends Error {
  readonly code = 'EHOSTNOTALLOWED';
  constructor(
    readonly host: string,
    readonly why: AddressClass,
  ) {
    super(`${host} is a ${why} address, which mail settings may not use here`);
    this.name = 'HostNotAllowedError';
  }
}

/**
 * A `lookup` for net/tls/https that resolves, checks every address and hands only checked addresses to
 * the connection: the address connected to is the one checked, so a second answer from DNS (rebinding)
 * never reaches a socket. Any refused address refuses the name.
 */
export function checkedLookup(policy: HostPolicy, base: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const byName = refusedName(hostname, policy);
    if (byName) return callback(new HostNotAllowedError(hostname, byName));
    // Sockets skip the look-up for an address literal; callers that check first (assertHostAllowed) do not.
    const family = net.isIP(hostname);
    if (family !== 0) {
      const why = refusedAddress(hostname, policy);
      if (why) return callback(new HostNotAllowedError(hostname, why));
      return options.all ? callback(null, [{ address: hostname, family }]) : callback(null, hostname, family);
    }
    base(hostname, { ...options, all: true }, (err, found) => {
      if (err) return callback(err);
      const list = (Array.isArray(found) ? found : [{ address: found as unknown as string, family: 4 }]) as dns.LookupAddress[];
      for (const { address } of list) {
        const why = refusedAddress(address, policy);
        if (why) return callback(new HostNotAllowedError(hostname, why));
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/**
 * Resolves `host` through `lookup` (a checkedLookup) and fails with HostNotAllowedError when it is
 * refused. For address literals, which sockets connect to without calling `lookup`.
 */
export function assertHostAllowed(host: string, lookup: LookupFunction): Promise<void> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => lookup(bare, { all: true }, (err) => (err ? reject(err) : resolve())));
}
