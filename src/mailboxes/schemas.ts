import { z } from 'zod';

// The API's address rule, kept here so the mailbox module does not import the API layer.
const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));
const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9.-]+$|^\[?[0-9a-f:.]+\]?$/, 'must be a host name or IP address');
export const securitySchema = z.enum(['tls', 'starttls', 'plain']);
export const serverSchema = z.strictObject({ host: hostSchema, port: z.number().int().min(1).max(65535), security: securitySchema });
export const authKindSchema = z.enum(['password', 'app_password', 'authorization_code', 'oauth2']);
export const visibilitySchema = z.enum(['private', 'share_all', 'subject_only', 'metadata_only']);
export const backfillSchema = z.enum(['30d', '90d', '1y', 'all']);
export const contactCreationSchema = z.enum(['off', 'sent', 'all']);
export const protocolSchema = z.enum(['imap', 'graph', 'ews']);
/** An EWS endpoint: http(s) only, no user or password in it (they go in their own fields). */
const ewsUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }))
  .refine((url) => {
    const parsed = new URL(url);
    return !parsed.username && !parsed.password;
  }, 'must not contain a user name or password');
/** EWS settings: the endpoint the admin typed, or null to find it by Autodiscover from the address. */
export const ewsSettingsSchema = z.strictObject({ url: ewsUrlSchema.nullable() });
const fingerprintSchema = z
  .string()
  .trim()
  .regex(/^(sha-?256[:/ ]?)?([0-9a-fA-F]{2}:?){32}$/, 'must be a SHA-256 fingerprint');

/**
 * Connection settings as the binding wizard sends them; the password is write-only. With
 * `authKind: 'oauth2'` there is no password: `signinId` names a signed-in sign-in flow (src/signin/).
 * `protocol` picks the connector: IMAP (with `imap`, optionally `smtp`), Microsoft Graph (a sign-in
 * only) or EWS (`ews`, user name and password); protocol-rules.ts refuses the combinations that mean nothing.
 */
const connectionFields = z.strictObject({
  email: emailSchema,
  providerId: z.string().trim().min(1).max(40).default('custom'),
  protocol: protocolSchema.default('imap'),
  imap: serverSchema.optional(),
  smtp: serverSchema.nullable().optional(),
  ews: ewsSettingsSchema.optional(),
  username: z.string().trim().min(1).max(320).optional(),
  authKind: authKindSchema.default('password'),
  password: z.string().min(1).max(1000).optional(),
  /** The sign-in flow (status signed_in) whose grant this mailbox uses; with authKind 'oauth2'. */
  signinId: z.uuid().optional(),
  /** An admin accepts that the provider account signed in under another address than the mailbox's. */
  confirmAddressMismatch: z.boolean().default(false),
  allowPlaintext: z.boolean().default(false),
  /** Fingerprints of certificates the admin chose to trust for this mailbox. */
  trustedCertificates: z.strictObject({ imap: fingerprintSchema.optional(), smtp: fingerprintSchema.optional() }).optional(),
  sendTestMessage: z.boolean().default(false),
});

/**
 * A password for password kinds, a sign-in for oauth2: never both, never neither. Graph and EWS with
 * OAuth are left to protocol-rules.ts, which answers them with codes of their own.
 */
function credentialRule(input: { protocol?: string; authKind?: string; password?: string; signinId?: string }, ctx: z.RefinementCtx): void {
  if (input.protocol === 'graph' || (input.protocol === 'ews' && (input.authKind === 'oauth2' || input.signinId))) return;
  if (input.authKind === 'oauth2') {
    if (!input.signinId) ctx.addIssue({ code: 'custom', path: ['signinId'], message: 'required with authKind oauth2' });
    if (input.password !== undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'not used with authKind oauth2' });
  } else if (input.authKind !== undefined) {
    if (input.password === undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: 'required' });
    if (input.signinId !== undefined) ctx.addIssue({ code: 'custom', path: ['signinId'], message: 'only with authKind oauth2' });
  }
}

export const connectionInputSchema = connectionFields.superRefine(credentialRule);

export const syncSettingsSchema = z.strictObject({
  displayName: z.string().trim().max(120).nullable().optional(),
  visibility: visibilitySchema.optional(),
  syncMode: z.enum(['realtime', 'interval']).optional(),
  syncIntervalMinutes: z.number().int().min(1).max(60).optional(),
  backfill: backfillSchema.optional(),
  syncFolders: z.array(z.string().min(1).max(500)).max(200).nullable().optional(),
  contactCreation: contactCreationSchema.optional(),
});

export const createMailboxSchema = connectionFields
  .extend({
    ...syncSettingsSchema.shape,
    ownerUserId: z.uuid().optional(),
    /** Admins may save a mailbox whose connection test fails (the server is down for maintenance, say). */
    force: z.boolean().default(false),
  })
  .superRefine(credentialRule);

export const updateMailboxSchema = z.strictObject({
  ...syncSettingsSchema.shape,
  /** Admins only: mail users forward or BCC here is logged as the original (docs/drop-box.md). */
  dropBox: z.boolean().optional(),
  imap: serverSchema.optional(),
  smtp: serverSchema.nullable().optional(),
  /** EWS mailboxes: another endpoint (null: find it by Autodiscover again). */
  ews: ewsSettingsSchema.optional(),
  username: z.string().trim().min(1).max(320).optional(),
  authKind: authKindSchema.optional(),
  password: z.string().min(1).max(1000).optional(),
  /** A new sign-in (signed_in flow) for an oauth2 mailbox: needed to change its server or user name. */
  signinId: z.uuid().optional(),
  confirmAddressMismatch: z.boolean().default(false),
  allowPlaintext: z.boolean().optional(),
  trustedCertificates: z
    .strictObject({ imap: fingerprintSchema.nullable().optional(), smtp: fingerprintSchema.nullable().optional() })
    .optional(),
  paused: z.boolean().optional(),
  /** HTML added below messages sent from the mailbox (sanitized; null or '' removes it). */
  signatureHtml: z.string().max(100_000).nullable().optional(),
  force: z.boolean().default(false),
});

export type ConnectionInput = z.infer<typeof connectionInputSchema>;
export type CreateMailboxInput = z.infer<typeof createMailboxSchema>;
export type UpdateMailboxInput = z.infer<typeof updateMailboxSchema>;
export type SyncSettingsInput = z.infer<typeof syncSettingsSchema>;
