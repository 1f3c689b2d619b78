import type { AuthErrorCode } from '../auth/errors.ts';
import type { BlocklistErrorCode } from '../blocklist/index.ts';
import type { CrmErrorCode } from '../crm/index.ts';
import type { EventStreamErrorCode } from '../events/index.ts';
import type { BlobStoreErrorCode } from '../ingest/index.ts';
import type { CommonErrorCode } from '../kernel/index.ts';
import type { VaultErrorCode } from '../vault/index.ts';
import type { DiscoveryErrorCode } from '../mailboxes/discovery/index.ts';
import type { MailboxErrorCode } from '../mailboxes/errors.ts';
import type { SearchErrorCode } from '../search/errors.ts';
import type { StoreErrorCode } from '../store/message-queries.ts';
import type { SyncErrorCode } from '../sync/errors.ts';
import type { OrgGrantErrorCode, SigninErrorCode } from '../signin/index.ts';
import type { MessageCommandErrorCode } from '../sync/message-commands.ts';
import type { OutboxErrorCode } from '../outbox/errors.ts';
import type { NotificationErrorCode } from '../notifications/index.ts';
import type { WebhookErrorCode } from '../webhooks/index.ts';
import type { MetricsErrorCode } from '../metrics/index.ts';
import type { OpsErrorCode } from '../ops/errors.ts';

/**
 * The one table from a domain error's code to its HTTP status. Each module's codes are a section of
 * their own, typed against the module's code union so a code added there without a status here does not
 * compile. A code may stand in one section only (error-statuses.test.ts).
 */
const common = {
  not_found: 404,
  forbidden: 403,
  validation_failed: 400,
  invalid_cursor: 400,
} satisfies Record<CommonErrorCode, number>;

/** Errors the API layer raises itself (request shape, authentication). */
export const apiErrorStatuses = {
  bad_request: 400,
  unauthenticated: 401,
  malformed_json: 400,
  invalid_content_length: 400,
  bad_url: 400,
  body_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  database_busy: 503,
} as const;
export type ApiErrorCode = keyof typeof apiErrorStatuses;

const auth = {
  invalid_token: 401,
  csrf_failed: 403,
  invalid_credentials: 401,
  account_deactivated: 403,
  totp_required: 401,
  totp_invalid: 401,
  too_many_attempts: 429,
  two_factor_not_started: 409,
  two_factor_code_required: 422,
  two_factor_code_rejected: 422,
  token_read_only: 403,
  wrong_password: 422,
  email_taken: 409,
  cannot_demote_self: 422,
  setup_done: 409,
} satisfies Record<AuthErrorCode, number>;

/** A vault failure is the server's (a lost or wrong master key, a damaged row): the caller cannot fix it. */
const vault = {
  master_key_mismatch: 500,
  master_key_missing: 500,
  secret_corrupt: 500,
  secret_not_found: 500,
} satisfies Record<VaultErrorCode, number>;
/** Binding and managing mailboxes; `invalid_email` is discovery's one code that reaches an answer. */
const mailboxes = {
  binding_not_allowed: 403,
  certificate_trust_not_allowed: 403,
  connection_test_failed: 422,
  ews_oauth_not_supported: 400,
  ews_url_unknown: 422,
  graph_signin_required: 400,
  imap_server_required: 400,
  mailbox_exists: 409,
  protocol_field_not_used: 400,
  secret_required_for_new_destination: 422,
  unknown_mailbox_owner: 400,
  visibility_widening_not_allowed: 403,
  invalid_email: 400,
} satisfies Record<MailboxErrorCode | Extract<DiscoveryErrorCode, 'invalid_email'>, number>;

/**
 * Sign-in with Google / Microsoft. The provider's refusals are the request's to fix (422); a provider
 * that cannot be reached is a 503 to retry; an answer that fails our checks is the provider's (502).
 */
const signin = {
  oauth_revoked: 422,
  oauth_consent_required: 422,
  oauth_consent_refused: 422,
  oauth_admin_consent_required: 422,
  oauth_wrong_tenant: 422,
  oauth_redirect_mismatch: 422,
  oauth_client_secret_expired: 422,
  oauth_client_invalid: 422,
  oauth_scope_missing: 422,
  oauth_app_missing: 409,
  oauth_provider_unreachable: 503,
  oauth_provider_error: 502,
  oauth_address_mismatch: 409,
  oauth_state_invalid: 400,
  oauth_nonce_invalid: 400,
  oauth_id_token_invalid: 502,
  oauth_flow_not_found: 404,
  oauth_flow_unusable: 409,
  oauth_device_unsupported: 422,
} satisfies Record<SigninErrorCode, number>;

/** Organisation-wide access (application permissions, domain-wide delegation) and bulk binding. */
const signinOrganisation = {
  org_grant_missing: 409,
  org_domain_not_covered: 422,
  org_app_secret_required: 409,
  org_tenant_required: 400,
  org_key_invalid: 400,
  org_delegation_missing: 422,
  org_user_unknown: 422,
  org_bind_rows_invalid: 400,
} satisfies Record<OrgGrantErrorCode, number>;

/** Reading and changing mail, and starting a sync. Connector and ingest codes stay inside the sync engine. */
const mail = {
  bad_cursor: 400,
  server_rejected: 502,
  no_trash_folder: 409,
  folder_not_found: 400,
  not_in_a_folder: 409,
  sync_disabled: 503,
} satisfies Record<MessageCommandErrorCode | SyncErrorCode | StoreErrorCode, number>;

const search = {
  empty_query: 400,
} satisfies Record<SearchErrorCode, number>;
const crm = {
  invalid_sort: 400,
  invalid_amount: 422,
  unknown_owner: 422,
  unknown_company: 422,
  unknown_contact: 422,
  unknown_deal: 422,
  unknown_stage: 422,
  invalid_domain: 422,
  public_mail_domain: 422,
  domain_in_use: 409,
  email_in_use: 409,
  lost_reason_required: 422,
  no_open_stage: 422,
  invalid_order: 422,
  stage_in_use: 409,
  field_not_for_kind: 422,
  activity_empty: 422,
  purchase_unlinked: 422,
  csv_malformed: 422,
  csv_empty: 422,
  csv_too_many_rows: 422,
  csv_missing_column: 422,
  csv_too_complex: 422,
  import_rejected: 422,
  reminder_not_found: 404,
  reminder_not_due: 409,
} satisfies Record<CrmErrorCode, number>;

const blocklist = {
  already_blocked: 409,
  invalid_value: 422,
} satisfies Record<BlocklistErrorCode, number>;

/** Live event streams: a user's cap, and a stream asked for while the server stops. */
const events = {
  too_many_streams: 429,
  server_stopping: 503,
} satisfies Record<EventStreamErrorCode, number>;

/** Reading a message's bytes (raw source, attachments) while the object store is down: try again. */
const blobs = {
  blob_store_unavailable: 503,
} satisfies Record<BlobStoreErrorCode, number>;

/** Writing and sending mail. */
const outbox = {
  send_not_allowed: 403,
  mailbox_cannot_send: 409,
  invalid_address: 422,
  no_recipients: 422,
  message_too_large: 413,
  send_quota_reached: 429,
  merge_fields_unresolved: 422,
  outbox_state_conflict: 409,
  send_at_in_past: 422,
  upload_too_large: 413,
  template_not_editable: 403,
} satisfies Record<OutboxErrorCode, number>;

/** In-app notifications. */
const notifications = {
  notification_not_found: 404,
} satisfies Record<NotificationErrorCode, number>;
const webhooks = {
  webhook_url_not_allowed: 422,
  webhook_delivery_in_progress: 409,
  webhook_inactive: 409,
} satisfies Record<WebhookErrorCode, number>;
/** /metrics: a scrape without the operator's token. */
const metrics = {
  metrics_token_invalid: 401,
} satisfies Record<MetricsErrorCode, number>;
/** Moving, backing up and restoring (the command line raises them; listed so every code has its status). */
const ops = {
  copy_mismatch: 500,
  target_not_empty: 409,
  migrations_differ: 409,
  backup_invalid: 400,
  blob_missing: 409,
  blob_count_mismatch: 500,
  blob_target_not_empty: 409,
} satisfies Record<OpsErrorCode, number>;

export const errorSections: Record<string, Record<string, number>> = {
  common,
  api: apiErrorStatuses,
  auth,
  vault,
  mailboxes,
  signin,
  signinOrganisation,
  mail,
  search,
  crm,
  blocklist,
  events,
  blobs,
  outbox,
  notifications,
  webhooks,
  metrics,
  ops,
};

const statusByCode: ReadonlyMap<string, number> = new Map(Object.values(errorSections).flatMap((section) => Object.entries(section)));

/** The status for a domain error's code; a code nobody mapped is our bug, so it is a 500. */
export function statusForCode(code: string): number {
  return statusByCode.get(code) ?? 500;
}
