import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { parseBlobUrl, type BlobTarget } from '../ingest/blob-url.ts';
import { DomainError } from '../kernel/index.ts';
import { DEFAULT_GRAPH_URL } from '../mailboxes/protocol-rules.ts';
import { DEFAULT_GOOGLE_ISSUER, DEFAULT_MICROSOFT_AUTHORITY, issuerUrlAllowed, type SigninConfig } from '../signin/providers.ts';

/** Every setting Tidings reads from the environment, parsed once at start. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  TIDINGS_DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  TIDINGS_DATA_DIR: z.string().min(1).default('./data'),
  TIDINGS_MASTER_KEY: z.string().min(1).optional(),
  TIDINGS_BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TIDINGS_ROLE: z.enum(['web', 'sync', 'all']).optional(),
  // How long a dead sync process's mailboxes wait before another takes them; renewed every third of it.
  TIDINGS_SYNC_LEASE_SECONDS: z.coerce.number().min(3).max(600).default(30),
  // Older spelling: off is the web role.
  TIDINGS_SYNC: z.enum(['on', 'off']).optional(),
  TIDINGS_EXTRA_CA_FILE: z.string().min(1).optional(),
  TIDINGS_ALLOW_LOCAL_MAIL_HOSTS: z.enum(['true', 'false']).default('false'),
  TIDINGS_ALLOW_PRIVATE_MAIL_HOSTS_FOR_MEMBERS: z.enum(['true', 'false']).default('false'),
  TIDINGS_MAX_MESSAGE_MB: z.coerce.number().positive().default(100),
  // Guards /metrics (mailbox ids and volumes); unset, /metrics answers 404.
  TIDINGS_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TIDINGS_BLOB_URL: z.string().optional(),
  TIDINGS_TRUSTED_PROXIES: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isAddressOrRange), 'must be comma-separated IP addresses or CIDR ranges (10.0.0.0/8, ::1)')
    .optional(),
  // Sign-in apps for OAuth binding (src/signin/); the environment wins over what an admin saved.
  TIDINGS_GOOGLE_CLIENT_ID: z.string().trim().min(1).optional(),
  TIDINGS_GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  TIDINGS_GOOGLE_ISSUER: z.string().refine(issuerUrlAllowed, 'must be an https URL (http only on loopback)').optional(),
  TIDINGS_MICROSOFT_CLIENT_ID: z.string().trim().min(1).optional(),
  TIDINGS_MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  TIDINGS_MICROSOFT_TENANT: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]{1,100}$/, 'must be common, organizations, consumers or a tenant id')
    .optional(),
  TIDINGS_MICROSOFT_AUTHORITY: z.string().refine(issuerUrlAllowed, 'must be an https URL (http only on loopback)').optional(),
  // Microsoft Graph's versioned base URL for Microsoft 365 mailboxes (tests point it at the harness).
  TIDINGS_GRAPH_URL: z
    .string()
    .refine(issuerUrlAllowed, 'must be an https URL (http only on loopback)')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
});

/** An IP address, or a CIDR range with a prefix length that fits its family. */
function isAddressOrRange(text: string): boolean {
  const [address = '', bits, ...rest] = text.split('/');
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** Connections this process keeps to a PostgreSQL server at most (not used by the embedded database). */
  databasePoolSize: number;
  dataDir: string;
  masterKey: string | null;
  baseUrl: string | null;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Secure cookies when the public address is https. */
  secureCookies: boolean;
  /** What this process does: web (API, web app, event streams), sync (mail sync and background work), all. */
  role: ServerRole;
  /** The role syncs mail and runs the background workers (sync or all). */
  syncEnabled: boolean;
  /** A mailbox lease's lifetime: a dead sync process's mailboxes are taken over within about this long. */
  syncLeaseMs: number;
  /** PEM file of company CA certificates trusted for every mailbox server. */
  extraCaFile: string | null;
  /** Mail settings may point at loopback, link-local and metadata addresses (tests, a server on this machine). */
  allowLocalMailHosts: boolean;
  /** Members may point mail settings at private networks; admins always may. */
  allowPrivateMailHostsForMembers: boolean;
  /** A fetched message over this many bytes is stored with its headers only. */
  maxMessageBytes: number;
  /**
   * Reverse proxies whose X-Forwarded-For/-Proto/-Host headers are believed (addresses or CIDR ranges).
   * Empty: the headers are ignored and the client is the peer of the TCP connection.
   */
  trustedProxies: string[];
  /** The bearer token Prometheus scrapes /metrics with; null: /metrics answers 404. */
  metricsToken: string | null;
  /** Sign-in apps from the environment, and where the providers are (tests point them at a local one). */
  signin: SigninConfig;
  /** Microsoft Graph's base URL that new Microsoft 365 mailboxes are bound to. */
  graphUrl: string;
  /** Where new blobs go (TIDINGS_BLOB_URL): the data dir, or an S3-compatible bucket. */
  blobTarget: BlobTarget;
}

export type ServerRole = 'web' | 'sync' | 'all';

export class ConfigError extends DomainError<'invalid_config'> {
  constructor(message: string) {
    super('invalid_config', message);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${first?.path.join('.')}: ${first?.message}`);
  }
  const e = parsed.data;
  let blobTarget: BlobTarget;
  try {
    blobTarget = parseBlobUrl(e.TIDINGS_BLOB_URL);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (e.TIDINGS_SYNC === 'off' && e.TIDINGS_ROLE && e.TIDINGS_ROLE !== 'web')
    throw new ConfigError(`TIDINGS_SYNC=off says the web role, TIDINGS_ROLE says ${e.TIDINGS_ROLE}: set one of them.`);
  const role: ServerRole = e.TIDINGS_ROLE ?? (e.TIDINGS_SYNC === 'off' ? 'web' : 'all');
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.TIDINGS_DB_POOL_SIZE,
    dataDir: path.resolve(e.TIDINGS_DATA_DIR),
    masterKey: e.TIDINGS_MASTER_KEY ?? null,
    baseUrl: e.TIDINGS_BASE_URL ?? null,
    logLevel: e.LOG_LEVEL,
    secureCookies: (e.TIDINGS_BASE_URL ?? '').startsWith('https:'),
    role,
    syncEnabled: role !== 'web',
    syncLeaseMs: Math.round(e.TIDINGS_SYNC_LEASE_SECONDS * 1000),
    extraCaFile: e.TIDINGS_EXTRA_CA_FILE ?? null,
    allowLocalMailHosts: e.TIDINGS_ALLOW_LOCAL_MAIL_HOSTS === 'true',
    allowPrivateMailHostsForMembers: e.TIDINGS_ALLOW_PRIVATE_MAIL_HOSTS_FOR_MEMBERS === 'true',
    maxMessageBytes: Math.round(e.TIDINGS_MAX_MESSAGE_MB * 1024 * 1024),
    trustedProxies: e.TIDINGS_TRUSTED_PROXIES ?? [],
    metricsToken: e.TIDINGS_METRICS_TOKEN ?? null,
    signin: {
      google: {
        clientId: e.TIDINGS_GOOGLE_CLIENT_ID ?? null,
        clientSecret: e.TIDINGS_GOOGLE_CLIENT_SECRET ?? null,
        issuer: e.TIDINGS_GOOGLE_ISSUER ?? DEFAULT_GOOGLE_ISSUER,
      },
      microsoft: {
        clientId: e.TIDINGS_MICROSOFT_CLIENT_ID ?? null,
        clientSecret: e.TIDINGS_MICROSOFT_CLIENT_SECRET ?? null,
        tenant: e.TIDINGS_MICROSOFT_TENANT ?? null,
        authority: e.TIDINGS_MICROSOFT_AUTHORITY ?? DEFAULT_MICROSOFT_AUTHORITY,
      },
    },
    graphUrl: e.TIDINGS_GRAPH_URL ?? DEFAULT_GRAPH_URL,
    blobTarget,
  };
  return { ...config, ...overrides };
}
