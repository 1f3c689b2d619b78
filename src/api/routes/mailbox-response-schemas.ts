import { z } from 'zod';
import { syncStatusSchema } from './mail-schemas.ts';

/**
 * Response schemas of the mailbox routes, mirroring src/mailboxes/presenter.ts, presentTest and
 * presentProvider in src/mailboxes and the discovery result. Also the serializer's allowlist: a field not
 * named here does not leave the API.
 */
const localText = z.object({ en: z.string(), 'zh-CN': z.string() });
const server = z.object({ host: z.string(), port: z.number(), security: z.enum(['tls', 'starttls', 'plain']) });

export const providerSchema = z.object({
  id: z.string(),
  name: localText,
  kind: z.enum(['enterprise', 'public', 'china_enterprise', 'custom']),
  /** How Tidings reads this provider's mailboxes, preferred first. */
  protocols: z.array(z.enum(['imap', 'graph', 'ews'])),
  imap: server.nullable(),
  smtp: server.nullable(),
  username: z.enum(['email', 'local_part']),
  auth: z.array(z.string()),
  /** The sign-in app ("Sign in with Google / Microsoft") that binds this provider's mailboxes, if any. */
  oauthApp: z.enum(['google', 'microsoft']).nullable(),
  quirks: z.array(z.string()),
  help: localText,
  authHelp: localText.nullable(),
  sources: z.array(z.string()),
});

export const discoverySchema = z.object({
  email: z.string(),
  domain: z.string(),
  provider: providerSchema.nullable(),
  suggestions: z.array(
    z.object({
      source: z.string(),
      providerId: z.string().optional(),
      imap: server.optional(),
      smtp: server.optional(),
      username: z.string(),
      ews: z.object({ url: z.string() }).optional(),
      confidence: z.number(),
    }),
  ),
  tried: z.array(
    z.object({
      source: z.string(),
      target: z.string(),
      outcome: z.enum(['found', 'none', 'error', 'timeout']),
      detail: z.string().optional(),
    }),
  ),
  defaultUsername: z.string(),
});

const probeReport = z.object({
  protocol: z.enum(['imap', 'smtp', 'graph', 'ews']),
  url: z.string().optional(),
  ok: z.boolean(),
  host: z.string(),
  port: z.number(),
  security: z.enum(['tls', 'starttls', 'plain']),
  stages: z.array(z.object({ stage: z.string(), ok: z.boolean(), ms: z.number(), detail: z.record(z.string(), z.unknown()).optional() })),
  failure: z
    .object({
      code: z.string(),
      stage: z.string(),
      message: localText,
      fix: localText,
      certificate: z
        .object({ fingerprint256: z.string(), pem: z.string(), subject: z.string(), issuer: z.string(), validTo: z.string() })
        .optional(),
    })
    .nullable(),
  transcript: z.array(z.string()),
  totalMs: z.number(),
});

/** The staged connection test; a refused save carries it too, in a 422 connection_test_failed problem. */
export const connectionTestSchema = z.object({ ok: z.boolean(), imap: probeReport, smtp: probeReport.nullable() });

const trustedServer = server.extend({ trustedCertificate: z.string().nullable() });

export const mailboxSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  /** Added below messages sent from it (sanitized HTML). */
  signatureHtml: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  providerId: z.string(),
  protocol: z.enum(['imap', 'graph', 'ews']).describe('The connector that reads the mailbox.'),
  apiUrl: z.string().nullable().describe("Graph's base URL or the EWS endpoint; null for IMAP. `imap` is then this URL's server."),
  imap: trustedServer,
  smtp: trustedServer.nullable(),
  username: z.string(),
  authKind: z.string(),
  credential: z.object({ set: z.boolean(), changedAt: z.string().nullable(), ageDays: z.number().nullable(), stale: z.boolean() }),
  insecure: z.boolean(),
  allowPlaintext: z.boolean(),
  visibility: z.enum(['private', 'share_all', 'subject_only', 'metadata_only']),
  status: z.enum(['untested', 'active', 'paused', 'needs_attention']),
  statusReason: z.string().nullable().describe('English detail; `attention` explains it in both languages.'),
  attention: z
    .object({ code: z.string(), message: localText, fix: localText })
    .nullable()
    .describe('Why the mailbox needs attention and what to do (the one failure catalogue); null unless needs_attention.'),
  syncMode: z.string(),
  syncIntervalMinutes: z.number(),
  backfill: z.string(),
  syncFolders: z.array(z.string()).nullable(),
  contactCreation: z.string(),
  dropBox: z.boolean().describe('mail users forward or BCC here is logged as the original, attributed to them (docs/drop-box.md)'),
  lastTest: z.object({ at: z.string(), ok: z.boolean().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const mailboxWithSyncSchema = mailboxSchema.extend({ sync: syncStatusSchema });
