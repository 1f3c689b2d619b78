import { fingerprintOfPem } from '../connectors/tls-policy.ts';
import { explainCode } from './probe/index.ts';
import type { MailboxRow } from './tables.ts';

export interface CredentialMeta {
  kind: string;
  updatedAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a mailbox needs attention and what to do, in both languages, from the one failure catalogue. */
function attentionOf(row: MailboxRow) {
  if (row.status !== 'needs_attention') return null;
  const params = { protocol: row.protocol, host: row.imap_host, port: row.imap_port };
  return explainCode(row.status_code ?? 'sync_failed', params, row.provider_id);
}

/** The only shape of a mailbox that leaves the API. The secret itself never does: only that it is set and its age. */
export function presentMailbox(
  row: MailboxRow,
  credential: CredentialMeta | null,
  opts: { credentialMaxAgeDays: number; ownerName?: string | null; ownerEmail?: string | null },
) {
  const ageDays = credential ? Math.floor((Date.now() - credential.updatedAt.getTime()) / DAY_MS) : null;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    signatureHtml: row.signature_html,
    owner: { id: row.owner_user_id, name: opts.ownerName ?? null, email: opts.ownerEmail ?? null },
    providerId: row.provider_id,
    /** imap, graph or ews; for Graph and EWS `imap` is the HTTPS server of `apiUrl`. */
    protocol: row.protocol,
    apiUrl: row.api_url,
    imap: {
      host: row.imap_host,
      port: row.imap_port,
      security: row.imap_security,
      trustedCertificate: row.imap_pinned_cert ? fingerprintOfPem(row.imap_pinned_cert) : null,
    },
    smtp: row.smtp_host
      ? {
          host: row.smtp_host,
          port: row.smtp_port!,
          security: row.smtp_security!,
          trustedCertificate: row.smtp_pinned_cert ? fingerprintOfPem(row.smtp_pinned_cert) : null,
        }
      : null,
    username: row.username,
    authKind: row.auth_kind,
    credential: {
      set: credential !== null,
      changedAt: credential ? credential.updatedAt.toISOString() : null,
      ageDays,
      stale: ageDays !== null && ageDays > opts.credentialMaxAgeDays,
    },
    insecure: row.allow_plaintext && (row.imap_security === 'plain' || row.smtp_security === 'plain'),
    allowPlaintext: row.allow_plaintext,
    visibility: row.visibility,
    status: row.status,
    statusReason: row.status_reason,
    attention: attentionOf(row),
    syncMode: row.sync_mode,
    syncIntervalMinutes: row.sync_interval_minutes,
    backfill: row.backfill,
    syncFolders: row.sync_folders as string[] | null,
    contactCreation: row.contact_creation,
    dropBox: row.drop_box,
    lastTest: row.last_test_at ? { at: new Date(row.last_test_at).toISOString(), ok: row.last_test_ok } : null,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export type PresentedMailbox = ReturnType<typeof presentMailbox>;
