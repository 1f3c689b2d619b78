import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { User } from '../auth/tables.ts';
import { findUserById } from '../auth/users.ts';
import { sanitizeComposedHtml } from '../ingest/index.ts';
import type { Database } from '../db/schema.ts';
import { ForbiddenError } from '../kernel/index.ts';
import type { Vault } from '../vault/index.ts';
import { SigninError, type MailboxSignin, type PreparedBinding, type SigninErrorCode } from '../signin/index.ts';
import { backfillFrom, DEFAULT_BACKFILL, widenedBackfillFrom } from './backfill.ts';
import { findProviderById } from './catalogue/index.ts';
import { runConnectionTest, type ConnectionTarget, type ConnectionTestResult, type ServerInput } from './connection-test.ts';
import { destinationAfterTest, targetOfInput, targetOfRow, testWithToken } from './connection-target.ts';
import { MailboxError } from './errors.ts';
import type { OAuthFailureCode } from './probe/index.ts';
import { assertConnectionFields, assertUpdateFields, DEFAULT_GRAPH_URL } from './protocol-rules.ts';
import { hostPolicyFor, type MailHostSettings } from './host-policy.ts';
import { statusAfterTest, statusOnResume } from './mailbox-status.ts';
import { findBoundMailbox, updateMailboxRow } from './repository.ts';
import type { ConnectionInput, CreateMailboxInput, SyncSettingsInput, UpdateMailboxInput } from './schemas.ts';
import type { MailboxRow, MailProtocol, Visibility } from './tables.ts';

export { testWithToken } from './connection-target.ts';

export interface MailboxDeps {
  db: Kysely<Database>;
  vault: Vault;
  extraCaPems: string[];
  /** The operator's rules for local and private mail hosts (TIDINGS_ALLOW_*_MAIL_HOSTS*). */
  mailHosts: MailHostSettings;
  /** OAuth sign-in (src/signin/): bindings with authKind 'oauth2' and their access tokens. */
  signin?: MailboxSignin;
  /** Microsoft Graph's base URL (TIDINGS_GRAPH_URL); default the public one. */
  graphUrl?: string;
  /** EWS Autodiscover's URLs instead of the address's domain: tests point them at the harness. */
  ewsAutodiscoverUrls?: string[];
}

function signinOf(deps: MailboxDeps): MailboxSignin {
  if (!deps.signin) throw new SigninError('oauth_app_missing', 'Sign-in with Google or Microsoft is not available in this process.');
  return deps.signin;
}

/** Every sign-in failure has its explanation and fix in the connection test's tables. */
const signinCodesHaveFixes: SigninErrorCode extends OAuthFailureCode ? true : never = true;
void signinCodesHaveFixes;

/** Which API a mailbox's sign-in must give tokens for. */
const accessFor = (protocol: MailProtocol): 'imap' | 'graph' => (protocol === 'graph' ? 'graph' : 'imap');

/** POST /mailboxes/test and POST /mailboxes with authKind 'oauth2': the signed-in flow checked for this address. */
export async function prepareOAuthBinding(
  deps: MailboxDeps,
  actor: User,
  input: { email: string; signinId?: string; confirmAddressMismatch?: boolean; ownerUserId?: string; protocol: MailProtocol },
): Promise<PreparedBinding> {
  const binding = await signinOf(deps).prepareBinding(actor, input.signinId!, {
    email: input.email,
    confirmAddressMismatch: input.confirmAddressMismatch,
    purposes: ['bind'],
    access: accessFor(input.protocol),
  });
  if (input.ownerUserId && binding.ownerUserId && input.ownerUserId !== binding.ownerUserId)
    throw new SigninError('oauth_flow_unusable', 'This sign-in was started for another owner.');
  return binding;
}

export function defaultUsername(email: string, providerId: string): string {
  const provider = findProviderById(providerId);
  return provider?.username === 'local_part' ? email.split('@')[0]! : email;
}

/** Raised when a save is refused because the connection test failed; carries the staged report. */
export function testFailed(result: ConnectionTestResult): MailboxError {
  const failure = result.imap.failure ?? result.smtp?.failure;
  return new MailboxError(
    'connection_test_failed',
    `The connection test failed at ${failure?.stage ?? 'a stage'}: ${failure?.message.en ?? 'see the report'}`,
    { details: { test: presentTest(result) } },
  );
}

/** Plaintext connections are an admin's decision; the probe and the save both refuse them for members. */
export function plaintextRefused(): ForbiddenError {
  return new ForbiddenError('Only admins can allow plaintext connections.');
}

/**
 * Trusting a certificate the system does not (pinning its fingerprint) is an admin's decision, as
 * docs/operations.md says: a member could otherwise accept an intercepting proxy's certificate.
 * Withdrawing a trust (null) is allowed to whoever manages the mailbox.
 */
export function assertMayTrustCertificates(actor: User, trust: Record<string, string | null | undefined> | undefined): void {
  if (actor.role === 'admin' || !trust) return;
  if (Object.values(trust).some((fingerprint) => typeof fingerprint === 'string'))
    throw new MailboxError('certificate_trust_not_allowed', 'Only admins can trust a certificate the system does not trust.');
}

export function presentTest(result: ConnectionTestResult) {
  return { ok: result.ok, imap: result.imap, smtp: result.smtp };
}

/** The user name a request names, else the provider's default for the address (Graph: the address). */
function usernameOf(input: { email: string; providerId: string; protocol: MailProtocol; username?: string }): string {
  if (input.protocol === 'graph') return input.email;
  return input.username ?? defaultUsername(input.email, input.providerId);
}

/**
 * Runs the staged connection test of a request (POST /mailboxes/test and the bind): with the sign-in's
 * token for OAuth, else with the password. Nothing is saved.
 */
async function testRequest(
  deps: MailboxDeps,
  actor: User,
  input: ConnectionInput,
  oauth: PreparedBinding | null,
): Promise<{ target: ConnectionTarget; test: ConnectionTestResult }> {
  const target = targetOfInput(input, deps.graphUrl ?? DEFAULT_GRAPH_URL);
  const testInput = {
    ...target,
    email: input.email,
    providerId: input.providerId,
    username: usernameOf(input),
    allowPlaintext: input.allowPlaintext,
    trust: input.trustedCertificates ?? {},
    pinned: { imap: null, smtp: null },
    sendTestMessage: input.sendTestMessage,
    extraCaPems: deps.extraCaPems,
    hostPolicy: hostPolicyFor(actor, deps.mailHosts),
    autodiscoverUrls: deps.ewsAutodiscoverUrls,
  };
  const test = oauth
    ? await testWithToken(() => signinOf(deps).accessTokenForGrant(oauth.grantId), testInput)
    : await runConnectionTest({ ...testInput, password: input.password! });
  return { target, test };
}

/** POST /mailboxes/test: the checks a bind makes before it connects, then the staged test. */
export async function testConnection(
  deps: MailboxDeps,
  actor: User,
  input: ConnectionInput,
  oauth: PreparedBinding | null,
): Promise<ConnectionTestResult> {
  assertConnectionFields(input);
  if (input.allowPlaintext && actor.role !== 'admin') throw plaintextRefused();
  assertMayTrustCertificates(actor, input.trustedCertificates);
  return (await testRequest(deps, actor, input, oauth)).test;
}

/** Binds a mailbox: test first, then store the row and its encrypted secret in one transaction. */
export async function bindMailbox(
  deps: MailboxDeps,
  actor: User,
  input: CreateMailboxInput,
  ip: string,
): Promise<{ row: MailboxRow; test: ConnectionTestResult }> {
  assertConnectionFields(input);
  const oauth = input.authKind === 'oauth2' ? await prepareOAuthBinding(deps, actor, input) : null;
  const ownerUserId = oauth?.ownerUserId ?? input.ownerUserId ?? actor.id;
  const owner = await findUserById(deps.db, ownerUserId);
  if (!owner?.active) throw new MailboxError('unknown_mailbox_owner', 'The owner must be an active user.');
  if (await findBoundMailbox(deps.db, ownerUserId, input.email))
    throw new MailboxError('mailbox_exists', 'This mailbox is already bound for that user.');
  const username = usernameOf(input);
  if (input.allowPlaintext && actor.role !== 'admin') throw plaintextRefused();
  assertMayTrustCertificates(actor, input.trustedCertificates);
  // Binding for someone else starts private, as the column's default: only the owner widens it later.
  assertMayWidenVisibility(actor, ownerUserId, 'private', input.visibility);
  const { target, test } = await testRequest(deps, actor, input, oauth);
  const forced = input.force && actor.role === 'admin';
  if (!test.ok && !forced) throw testFailed(test);
  const { server, apiUrl } = destinationAfterTest(target, test);

  const row = await deps.db.transaction().execute(async (trx) => {
    const secretId = oauth
      ? null
      : await deps.vault.put(trx, { ownerType: 'mailbox', ownerId: null, kind: input.authKind }, input.password!);
    const inserted = await insertBoundMailbox(trx, {
      ownerUserId,
      createdBy: actor.id,
      email: input.email,
      displayName: input.displayName ?? null,
      providerId: input.providerId,
      protocol: input.protocol,
      apiUrl,
      imap: server,
      smtp: target.protocol === 'imap' || target.protocol === undefined ? target.smtp : null,
      username,
      authKind: input.authKind,
      secretId,
      allowPlaintext: input.allowPlaintext,
      settings: input,
      test,
    });
    if (secretId) await deps.vault.setOwner(trx, secretId, inserted.id);
    if (oauth) await signinOf(deps).commitBinding(trx, oauth, inserted.id);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'mailbox.bind',
      targetType: 'mailbox',
      targetId: inserted.id,
      ip,
      detail: {
        email: input.email,
        owner: ownerUserId,
        provider: input.providerId,
        protocol: input.protocol,
        authKind: input.authKind,
        forced: forced && !test.ok,
        testOk: test.ok,
        visibility: { to: inserted.visibility, byOwner: ownerUserId === actor.id },
        ...(oauth?.invitationId && { invitation: oauth.invitationId }),
      },
    });
    return inserted;
  });
  return { row, test };
}

/** A newly bound mailbox's row, in the binding's transaction: its servers, its settings and what its test found. */
export function insertBoundMailbox(
  trx: Transaction<Database>,
  m: {
    ownerUserId: string;
    createdBy: string;
    email: string;
    displayName: string | null;
    providerId: string;
    /** Default IMAP; Graph and EWS give their URL, whose server `imap` is. */
    protocol?: MailProtocol;
    apiUrl?: string | null;
    imap: ServerInput;
    smtp: ServerInput | null;
    username: string;
    authKind: MailboxRow['auth_kind'];
    secretId: string | null;
    allowPlaintext: boolean;
    settings: SyncSettingsInput;
    test: ConnectionTestResult;
  },
): Promise<MailboxRow> {
  return trx
    .insertInto('mailboxes')
    .values({
      owner_user_id: m.ownerUserId,
      created_by: m.createdBy,
      email: m.email,
      display_name: m.displayName,
      provider_id: m.providerId,
      protocol: m.protocol ?? 'imap',
      api_url: m.apiUrl ?? null,
      imap_host: m.imap.host,
      imap_port: m.imap.port,
      imap_security: m.imap.security,
      smtp_host: m.smtp?.host ?? null,
      smtp_port: m.smtp?.port ?? null,
      smtp_security: m.smtp?.security ?? null,
      username: m.username,
      auth_kind: m.authKind,
      secret_id: m.secretId,
      allow_plaintext: m.allowPlaintext,
      imap_pinned_cert: m.test.pinned.imap,
      smtp_pinned_cert: m.test.pinned.smtp,
      ...syncSettingsColumns(m.settings),
      backfill_from: backfillFrom(m.settings.backfill ?? DEFAULT_BACKFILL, new Date()),
      ...statusAfterTest(m.test, 'Saved without a passing connection test: '),
      last_test_at: new Date(),
      last_test_ok: m.test.ok,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The sync settings a bind or an update sets, as columns; absent fields stay as they are. */
function syncSettingsColumns(input: SyncSettingsInput) {
  return {
    ...(input.visibility && { visibility: input.visibility }),
    ...(input.syncMode && { sync_mode: input.syncMode }),
    ...(input.syncIntervalMinutes && { sync_interval_minutes: input.syncIntervalMinutes }),
    ...(input.backfill && { backfill: input.backfill }),
    ...(input.syncFolders !== undefined && { sync_folders: JSON.stringify(input.syncFolders) }),
    ...(input.contactCreation && { contact_creation: input.contactCreation }),
  };
}

const CONNECTION_FIELDS = [
  'imap',
  'smtp',
  'ews',
  'username',
  'authKind',
  'password',
  'signinId',
  'allowPlaintext',
  'trustedCertificates',
] as const;

/** From narrowest to widest: who besides the owner sees what (see store/visibility.ts). */
const VISIBILITY_ORDER: readonly Visibility[] = ['private', 'metadata_only', 'subject_only', 'share_all'];

/**
 * Only the owner may let more people see more of their mail; an admin manages the mailbox but may only
 * narrow its visibility (admins are not exempt from visibility, so widening would let them read it).
 */
function assertMayWidenVisibility(actor: User, ownerUserId: string, current: Visibility, next: Visibility | undefined): void {
  if (!next || actor.id === ownerUserId) return;
  if (VISIBILITY_ORDER.indexOf(next) > VISIBILITY_ORDER.indexOf(current))
    throw new MailboxError('visibility_widening_not_allowed', 'Only the owner of a mailbox can widen who sees its mail.', {
      details: { from: current, to: next },
    });
}

const sameServer = (a: ServerInput | null, b: ServerInput | null): boolean =>
  a === b || (a !== null && b !== null && a.host === b.host && a.port === b.port && a.security === b.security);

/**
 * The stored secret was entered for one destination (servers, ports, security, user name); it is never
 * sent anywhere else, whoever asks. A change of destination must come with the secret again.
 */
function assertSecretForDestination(row: MailboxRow, input: UpdateMailboxInput, imap: ServerInput, smtp: ServerInput | null): void {
  // A password is the new secret for a password mailbox; a new sign-in is the new grant for an oauth2 one.
  if (input.signinId !== undefined) return;
  if (input.password !== undefined && (row.auth_kind !== 'oauth2' || (input.authKind && input.authKind !== 'oauth2'))) return;
  const storedImap = { host: row.imap_host, port: row.imap_port, security: row.imap_security };
  const storedSmtp = row.smtp_host ? { host: row.smtp_host, port: row.smtp_port!, security: row.smtp_security! } : null;
  const moved: string[] = [];
  if (!sameServer(imap, storedImap)) moved.push('imap');
  // A new EWS address (or a new Autodiscover, null) may lead anywhere.
  if (input.ews !== undefined && input.ews.url !== row.api_url) moved.push('ews');
  // Dropping SMTP sends the secret nowhere new; adding or changing it does.
  if (smtp !== null && !sameServer(smtp, storedSmtp)) moved.push('smtp');
  if (input.username !== undefined && input.username !== row.username) moved.push('username');
  if (moved.length > 0)
    throw new MailboxError(
      'secret_required_for_new_destination',
      row.auth_kind === 'oauth2'
        ? 'The stored sign-in is only used for the server it was given for. Sign in again to connect to the new settings.'
        : 'The stored password is only used for the server it was entered for. Enter the password to connect to the new settings.',
      { details: { changed: moved, ...(row.auth_kind === 'oauth2' && { signInAgain: true }) } },
    );
}

/** Updates settings; anything that changes how we connect is re-tested before it is saved. */
export async function updateMailbox(
  deps: MailboxDeps,
  actor: User,
  row: MailboxRow,
  input: UpdateMailboxInput,
  ip: string,
): Promise<{ row: MailboxRow; test: ConnectionTestResult | null }> {
  assertUpdateFields(row, input);
  if (input.allowPlaintext && actor.role !== 'admin') throw plaintextRefused();
  // Mail in a drop box is attributed to whoever forwarded it: choosing which mailbox does that is an admin's call.
  if (input.dropBox !== undefined && input.dropBox !== row.drop_box && actor.role !== 'admin')
    throw new ForbiddenError('Only admins can make a mailbox a drop box.');
  assertMayTrustCertificates(actor, input.trustedCertificates);
  assertMayWidenVisibility(actor, row.owner_user_id, row.visibility, input.visibility);
  const changed = Object.keys(input).filter((k) => k !== 'force' && (input as Record<string, unknown>)[k] !== undefined);
  const reconnect = CONNECTION_FIELDS.some((f) => input[f] !== undefined);
  let test: ConnectionTestResult | null = null;
  const stored = targetOfRow(row);
  const target: ConnectionTarget =
    stored.protocol === 'ews'
      ? { protocol: 'ews', url: input.ews === undefined ? stored.url : input.ews.url }
      : stored.protocol === 'graph'
        ? stored
        : { protocol: 'imap', imap: input.imap ?? stored.imap, smtp: input.smtp === undefined ? stored.smtp : input.smtp };
  const imap = target.protocol === 'imap' ? target.imap : { host: row.imap_host, port: row.imap_port, security: row.imap_security };
  const smtp = target.protocol === 'imap' ? target.smtp : null;
  assertSecretForDestination(row, input, imap, smtp);
  const nextKind = input.signinId !== undefined ? 'oauth2' : (input.authKind ?? row.auth_kind);
  if (input.authKind === 'oauth2' && input.signinId === undefined && row.auth_kind !== 'oauth2')
    throw new SigninError('oauth_flow_unusable', 'Switching to Sign in with Google / Microsoft needs a sign-in (signinId).');
  if (nextKind !== 'oauth2' && row.auth_kind === 'oauth2' && input.password === undefined)
    throw new MailboxError('secret_required_for_new_destination', 'Switching from a sign-in to a password needs the password.', {
      details: { changed: ['authKind'] },
    });
  const oauth =
    input.signinId !== undefined
      ? await signinOf(deps).prepareBinding(actor, input.signinId, {
          email: row.email,
          confirmAddressMismatch: input.confirmAddressMismatch,
          purposes: ['bind', 'reauth'],
          access: accessFor(row.protocol),
        })
      : null;
  let destination: { server: ServerInput; apiUrl: string | null } | null = null;
  if (reconnect) {
    const testInput = {
      ...target,
      email: row.email,
      providerId: row.provider_id,
      username: input.username ?? row.username,
      allowPlaintext: input.allowPlaintext ?? row.allow_plaintext,
      trust: input.trustedCertificates ?? {},
      pinned: { imap: row.imap_pinned_cert, smtp: row.smtp_pinned_cert },
      sendTestMessage: false,
      extraCaPems: deps.extraCaPems,
      hostPolicy: hostPolicyFor(actor, deps.mailHosts),
      autodiscoverUrls: deps.ewsAutodiscoverUrls,
    };
    if (oauth) test = await testWithToken(() => signinOf(deps).accessTokenForGrant(oauth.grantId), testInput);
    else if (nextKind === 'oauth2') test = await testWithToken(() => signinOf(deps).accessTokenFor(row), testInput);
    else {
      const password = input.password ?? (row.secret_id ? await deps.vault.reveal(row.secret_id) : '');
      test = await runConnectionTest({ ...testInput, password });
    }
    if (!test.ok && !(input.force && actor.role === 'admin')) throw testFailed(test);
    if (input.ews !== undefined) destination = destinationAfterTest(target, test);
  }
  const updated = await deps.db.transaction().execute(async (trx) => {
    let secretId = row.secret_id;
    if (oauth) {
      await signinOf(deps).commitBinding(trx, oauth, row.id);
      secretId = null; // the password gives way to the sign-in (its secret goes below, once the row no longer names it)
    } else if (input.password !== undefined && row.auth_kind === 'oauth2') {
      // From a sign-in to a password: the grant's tokens go.
      await signinOf(deps).forgetMailbox(trx, row.id);
    }
    if (input.password !== undefined && !oauth) {
      const owner = { ownerType: 'mailbox', ownerId: row.id, kind: input.authKind ?? row.auth_kind };
      secretId = await deps.vault.putOrReplace(trx, secretId, owner, input.password);
    }
    const next = await updateMailboxRow(trx, row.id, {
      ...(input.displayName !== undefined && { display_name: input.displayName }),
      ...(input.signatureHtml !== undefined && { signature_html: sanitizeComposedHtml(input.signatureHtml ?? '').trim() || null }),
      ...syncSettingsColumns(input),
      ...(input.backfill && { backfill_from: widenedBackfillFrom(row.backfill_from, input.backfill, new Date()) }),
      ...(input.username && { username: input.username }),
      ...(input.authKind && !oauth && { auth_kind: input.authKind }),
      ...(oauth && { auth_kind: 'oauth2' as const }),
      ...(input.allowPlaintext !== undefined && { allow_plaintext: input.allowPlaintext }),
      ...(input.dropBox !== undefined && { drop_box: input.dropBox }),
      ...(input.imap && { imap_host: imap.host, imap_port: imap.port, imap_security: imap.security }),
      ...(destination && {
        api_url: destination.apiUrl,
        imap_host: destination.server.host,
        imap_port: destination.server.port,
        imap_security: destination.server.security,
      }),
      ...(input.smtp !== undefined && {
        smtp_host: smtp?.host ?? null,
        smtp_port: smtp?.port ?? null,
        smtp_security: smtp?.security ?? null,
      }),
      secret_id: secretId,
      ...(test && {
        imap_pinned_cert: test.pinned.imap,
        smtp_pinned_cert: test.pinned.smtp,
        last_test_at: new Date(),
        last_test_ok: test.ok,
        ...statusAfterTest(test),
      }),
      ...(input.paused === true && { status: 'paused' as const }),
      ...(input.paused === false && !test && statusOnResume(row.last_test_ok)),
    });
    if (oauth && row.secret_id) await deps.vault.delete(trx, row.secret_id);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'mailbox.update',
      targetType: 'mailbox',
      targetId: row.id,
      ip,
      detail: {
        changed,
        retested: test !== null,
        testOk: test?.ok ?? null,
        ...(input.visibility &&
          input.visibility !== row.visibility && {
            visibility: { from: row.visibility, to: input.visibility, byOwner: actor.id === row.owner_user_id },
          }),
      },
    });
    return next;
  });
  return { row: updated, test };
}

/** Tests a saved mailbox with its stored secret and records the outcome. */
export async function retestMailbox(deps: MailboxDeps, actor: User, row: MailboxRow, ip: string): Promise<ConnectionTestResult> {
  const testInput = {
    ...targetOfRow(row),
    email: row.email,
    providerId: row.provider_id,
    username: row.username,
    allowPlaintext: row.allow_plaintext,
    trust: {},
    pinned: { imap: row.imap_pinned_cert, smtp: row.smtp_pinned_cert },
    sendTestMessage: false,
    extraCaPems: deps.extraCaPems,
    hostPolicy: hostPolicyFor(actor, deps.mailHosts),
  };
  const test =
    row.auth_kind === 'oauth2'
      ? await testWithToken(() => signinOf(deps).accessTokenFor(row), testInput)
      : await runConnectionTest({ ...testInput, password: row.secret_id ? await deps.vault.reveal(row.secret_id) : '' });
  await deps.db.transaction().execute(async (trx) => {
    await updateMailboxRow(trx, row.id, {
      last_test_at: new Date(),
      last_test_ok: test.ok,
      ...(row.status !== 'paused' && statusAfterTest(test)),
    });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'mailbox.test',
      targetType: 'mailbox',
      targetId: row.id,
      ip,
      detail: { ok: test.ok },
    });
  });
  return test;
}

export async function unbindMailbox(deps: MailboxDeps, actor: User, row: MailboxRow, ip: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (row.auth_kind === 'oauth2' && deps.signin) await deps.signin.forgetMailbox(trx, row.id);
    await trx.deleteFrom('mailboxes').where('id', '=', row.id).execute();
    if (row.secret_id) await deps.vault.delete(trx, row.secret_id);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'mailbox.unbind',
      targetType: 'mailbox',
      targetId: row.id,
      ip,
      detail: { email: row.email },
    });
  });
}
