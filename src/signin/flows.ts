import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { ForbiddenError, NotFoundError } from '../kernel/index.ts';
import { resolveApp } from './apps.ts';
import type { SigninDeps } from './deps.ts';
import { SigninError, type SigninErrorCode } from './errors.ts';
import { insertGrant, sweepAbandoned } from './grants.ts';
import {
  authorizationUrl,
  exchangeCode,
  generateRandomCodeVerifier,
  generateRandomNonce,
  generateRandomState,
  pollDevice,
  startDevice,
  type TokenSet,
} from './oauth-client.ts';
import { PROFILES } from './providers.ts';
import { applyReauth } from './reauth.ts';
import type { FlowMethod, FlowPurpose, MailAccess, OAuthProviderKind, SigninFlowRow } from './tables.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A code flow's state is good for 10 minutes; a signed-in flow waits this long to be used for binding. */
export const FLOW_TTL_MS = 10 * 60 * 1000;
const SIGNED_IN_TTL_MS = 60 * 60 * 1000;

export const hashState = (state: string) => createHash('sha256').update(state, 'utf8').digest('base64url');

export interface StartFlowInput {
  provider: OAuthProviderKind;
  email?: string;
  purpose: FlowPurpose;
  mailboxId?: string;
  ownerUserId?: string;
  invitationId?: string;
  method: FlowMethod;
  /** IMAP/SMTP (default) or Microsoft Graph's mail API; a reauth keeps what the mailbox uses. */
  access?: MailAccess;
}

export type StartedFlow =
  | { id: string; authorizationUrl: string }
  | { id: string; device: { userCode: string; verificationUri: string; expiresAt: string; intervalSeconds: number } };

interface FlowTarget {
  /** Set for a reauth: what the mailbox reads its mail with. */
  access?: MailAccess;
  email: string;
  ownerUserId: string | null;
  mailboxId: string | null;
  invitationId: string | null;
}

/** Who the flow is for, and whether the actor may start it. */
async function targetOf(db: Executor, actor: User, input: StartFlowInput): Promise<FlowTarget> {
  if (input.purpose === 'reauth') {
    if (!input.mailboxId) throw new SigninError('oauth_flow_unusable', 'Signing in again needs the mailbox (mailboxId).');
    const mailbox = await db.selectFrom('mailboxes').selectAll().where('id', '=', input.mailboxId).executeTakeFirst();
    if (!mailbox || (actor.role !== 'admin' && mailbox.owner_user_id !== actor.id)) throw new NotFoundError('mailbox');
    return {
      access: mailbox.protocol === 'graph' ? 'graph' : 'imap',
      email: mailbox.email.toLowerCase(),
      ownerUserId: mailbox.owner_user_id,
      mailboxId: mailbox.id,
      invitationId: null,
    };
  }
  if (input.invitationId) {
    const inv = await db.selectFrom('signin_invitations').selectAll().where('id', '=', input.invitationId).executeTakeFirst();
    // Only the invited owner can follow an invitation; anyone else learns nothing about it.
    if (!inv || inv.owner_user_id !== actor.id) throw new NotFoundError('invitation');
    if (inv.used_at || new Date(inv.expires_at).getTime() < Date.now())
      throw new SigninError('oauth_flow_unusable', 'This invitation was used already or has expired. Ask your admin for a new one.');
    if (inv.provider !== input.provider) throw new SigninError('oauth_flow_unusable', `This invitation is for ${inv.provider}.`);
    return { email: inv.email.toLowerCase(), ownerUserId: actor.id, mailboxId: null, invitationId: inv.id };
  }
  if (!input.email) throw new SigninError('oauth_flow_unusable', 'Binding needs the mailbox address (email).');
  const owner = input.ownerUserId ?? actor.id;
  if (owner !== actor.id && actor.role !== 'admin') throw new ForbiddenError('Only admins can bind mailboxes for other users.');
  return { email: input.email.toLowerCase(), ownerUserId: owner, mailboxId: null, invitationId: null };
}

/** POST /api/v1/signin/flows: an authorization URL to send the browser to, or a device code to show. */
export async function startFlow(deps: SigninDeps, actor: User, input: StartFlowInput): Promise<StartedFlow> {
  const target = await targetOf(deps.db, actor, input);
  const app = await resolveApp(deps, input.provider);
  const access = target.access ?? input.access ?? 'imap';
  if (access === 'graph' && input.provider !== 'microsoft')
    throw new SigninError('oauth_flow_unusable', 'Microsoft Graph access is signed in with Microsoft.');
  if (input.method === 'device' && !PROFILES[input.provider].deviceFlow)
    throw new SigninError('oauth_device_unsupported', 'Google has no device-code sign-in for mail; use the browser sign-in.');
  await sweepAbandoned(deps.db, deps.vault).catch((err) => deps.log.warn({ err }, 'sign-in sweep failed'));
  const base = {
    user_id: actor.id,
    provider: input.provider,
    purpose: input.purpose,
    method: input.method,
    access,
    expected_email: target.email,
    mailbox_id: target.mailboxId,
    owner_user_id: target.ownerUserId,
    invitation_id: target.invitationId,
  };
  if (input.method === 'code') {
    const state = generateRandomState();
    const nonce = generateRandomNonce();
    const codeVerifier = generateRandomCodeVerifier();
    const url = await authorizationUrl(app, {
      redirectUri: deps.redirectUri,
      state,
      nonce,
      codeVerifier,
      loginHint: target.email,
      timeoutMs: deps.timeoutMs,
      access,
    });
    const id = await deps.db.transaction().execute(async (trx) => {
      const secretId = await deps.vault.put(trx, { ownerType: 'signin_flow', ownerId: null, kind: 'pkce_verifier' }, codeVerifier);
      const row = await trx
        .insertInto('signin_flows')
        .values({ ...base, state_hash: hashState(state), nonce, secret_id: secretId, expires_at: new Date(Date.now() + FLOW_TTL_MS) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.vault.setOwner(trx, secretId, row.id);
      return row.id;
    });
    return { id, authorizationUrl: url };
  }
  const device = await startDevice(app, { timeoutMs: deps.timeoutMs, access });
  const expiresAt = new Date(Date.now() + device.expiresIn * 1000);
  const id = await deps.db.transaction().execute(async (trx) => {
    const secretId = await deps.vault.put(trx, { ownerType: 'signin_flow', ownerId: null, kind: 'device_code' }, device.deviceCode);
    const row = await trx
      .insertInto('signin_flows')
      .values({
        ...base,
        secret_id: secretId,
        device_user_code: device.userCode,
        device_verification_uri: device.verificationUri,
        device_interval_seconds: device.interval,
        device_next_poll_at: new Date(Date.now() + device.interval * 1000),
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.vault.setOwner(trx, secretId, row.id);
    return row.id;
  });
  return {
    id,
    device: {
      userCode: device.userCode,
      verificationUri: device.verificationUri,
      expiresAt: expiresAt.toISOString(),
      intervalSeconds: device.interval,
    },
  };
}

export function presentFlow(row: SigninFlowRow) {
  return {
    id: row.id,
    provider: row.provider,
    purpose: row.purpose,
    method: row.method,
    status: row.status,
    expectedEmail: row.expected_email,
    signedInEmail: row.signed_in_email,
    addressMatches: row.signed_in_email === null ? null : row.signed_in_email === row.expected_email,
    mailboxId: row.mailbox_id,
    invitationId: row.invitation_id,
    device:
      row.method === 'device' && row.device_user_code
        ? {
            userCode: row.device_user_code,
            verificationUri: row.device_verification_uri!,
            expiresAt: new Date(row.expires_at).toISOString(),
            intervalSeconds: row.device_interval_seconds ?? 5,
          }
        : null,
    expiresAt: new Date(row.expires_at).toISOString(),
    error: row.error_code ? { code: row.error_code } : null,
  };
}

async function loadOwnFlow(db: Executor, actor: User, id: string): Promise<SigninFlowRow> {
  const row = await db.selectFrom('signin_flows').selectAll().where('id', '=', id).executeTakeFirst();
  // A flow is its starter's: nobody else learns that it exists.
  if (!row || row.user_id !== actor.id) throw new SigninError('oauth_flow_not_found', 'There is no such sign-in.');
  return row;
}

/** A flow that ends forgets its code verifier (it is single use) and leaves its outcome in the audit log. */
async function recordFlowEnd(
  trx: Transaction<Database>,
  deps: SigninDeps,
  flow: SigninFlowRow,
  action: 'signin.failed' | 'signin.signed_in',
  detail: Record<string, unknown>,
): Promise<void> {
  if (flow.secret_id) await deps.vault.delete(trx, flow.secret_id);
  await recordAudit(trx, {
    actorUserId: flow.user_id,
    action,
    targetType: 'signin_flow',
    targetId: flow.id,
    detail: { provider: flow.provider, purpose: flow.purpose, ...detail },
  });
}

async function failFlow(deps: SigninDeps, flow: SigninFlowRow, code: SigninErrorCode): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('signin_flows')
      .set({ status: 'failed', error_code: code, secret_id: null, updated_at: new Date() })
      .where('id', '=', flow.id)
      .where('status', '=', 'pending')
      .execute();
    await recordFlowEnd(trx, deps, flow, 'signin.failed', { code });
  });
}

/** GET /api/v1/signin/flows/:id; a pending device flow is polled when its interval has passed. */
export async function getFlow(deps: SigninDeps, actor: User, id: string): Promise<SigninFlowRow> {
  let flow = await loadOwnFlow(deps.db, actor, id);
  if (flow.status === 'pending' && new Date(flow.expires_at).getTime() < Date.now()) {
    await failFlow(deps, flow, 'oauth_state_invalid');
    return loadOwnFlow(deps.db, actor, id);
  }
  if (flow.method === 'device' && flow.status === 'pending') {
    await pollDeviceFlow(deps, flow);
    flow = await loadOwnFlow(deps.db, actor, id);
  }
  return flow;
}

async function pollDeviceFlow(deps: SigninDeps, flow: SigninFlowRow): Promise<void> {
  const interval = flow.device_interval_seconds ?? 5;
  // Compare-and-swap on the next poll time: two pollers at once would spend the device code twice.
  const claimed = await deps.db
    .updateTable('signin_flows')
    .set({ device_next_poll_at: new Date(Date.now() + interval * 1000) })
    .where('id', '=', flow.id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('device_next_poll_at', 'is', null), eb('device_next_poll_at', '<=', new Date())]))
    .returning('id')
    .executeTakeFirst();
  if (!claimed || !flow.secret_id) return;
  try {
    const app = await resolveApp(deps, flow.provider);
    const result = await pollDevice(app, await deps.vault.reveal(flow.secret_id), { timeoutMs: deps.timeoutMs, access: flow.access });
    if (result.status === 'pending') {
      if (result.slowDown)
        await deps.db
          .updateTable('signin_flows')
          .set({ device_interval_seconds: interval + 5, device_next_poll_at: new Date(Date.now() + (interval + 5) * 1000) })
          .where('id', '=', flow.id)
          .execute();
      return;
    }
    await completeSignIn(deps, flow, app.clientId, result.tokens);
  } catch (err) {
    if (err instanceof SigninError && err.code === 'oauth_provider_unreachable') return; // try at the next poll
    if (err instanceof SigninError) return failFlow(deps, flow, err.code);
    throw err;
  }
}

export interface CallbackOutcome {
  flowId: string | null;
  error: SigninErrorCode | null;
}

/**
 * GET /oauth/callback. The state must name a pending, unexpired flow of the user whose browser this is;
 * a forged state, a replay or another user's flow is refused without touching that flow.
 */
export async function handleCallback(deps: SigninDeps, actor: User | null, query: URLSearchParams): Promise<CallbackOutcome> {
  const state = query.get('state');
  if (!state) return { flowId: null, error: 'oauth_state_invalid' };
  const flow = await deps.db.selectFrom('signin_flows').selectAll().where('state_hash', '=', hashState(state)).executeTakeFirst();
  if (!flow || !actor || flow.user_id !== actor.id) {
    deps.log.warn({ flowFound: Boolean(flow), signedIn: Boolean(actor) }, "oauth callback with a state that is not this user's");
    return { flowId: null, error: 'oauth_state_invalid' };
  }
  if (flow.status !== 'pending' || !flow.secret_id || !flow.nonce) return { flowId: flow.id, error: 'oauth_state_invalid' };
  // Single use: whoever moves the flow out of 'pending' first owns this callback.
  if (new Date(flow.expires_at).getTime() < Date.now()) {
    await failFlow(deps, flow, 'oauth_state_invalid');
    return { flowId: flow.id, error: 'oauth_state_invalid' };
  }
  const claimed = await deps.db
    .updateTable('signin_flows')
    .set({ state_hash: null, updated_at: new Date() })
    .where('id', '=', flow.id)
    .where('state_hash', '=', hashState(state))
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return { flowId: flow.id, error: 'oauth_state_invalid' };
  try {
    const app = await resolveApp(deps, flow.provider);
    const tokens = await exchangeCode(app, {
      callback: query,
      redirectUri: deps.redirectUri,
      state,
      nonce: flow.nonce,
      codeVerifier: await deps.vault.reveal(flow.secret_id),
      timeoutMs: deps.timeoutMs,
      access: flow.access,
    });
    const done = await completeSignIn(deps, flow, app.clientId, tokens);
    return { flowId: flow.id, error: done };
  } catch (err) {
    const code: SigninErrorCode = err instanceof SigninError ? err.code : 'oauth_provider_error';
    if (!(err instanceof SigninError)) deps.log.error({ err, flowId: flow.id }, 'oauth callback failed');
    await failFlow(deps, flow, code);
    return { flowId: flow.id, error: code };
  }
}

/** Tokens in hand: keep them as a grant, note who signed in; a matching "Sign in again" applies at once. */
async function completeSignIn(deps: SigninDeps, flow: SigninFlowRow, clientId: string, tokens: TokenSet): Promise<SigninErrorCode | null> {
  if (!tokens.claims?.email) {
    await failFlow(deps, flow, 'oauth_id_token_invalid');
    return 'oauth_id_token_invalid';
  }
  if (!tokens.refreshToken) {
    // Without offline access the mailbox would stop working within the hour.
    await failFlow(deps, flow, 'oauth_consent_required');
    return 'oauth_consent_required';
  }
  const email = tokens.claims.email;
  const matches = email === flow.expected_email;
  const grantId = await deps.db.transaction().execute(async (trx) => {
    const id = await insertGrant(trx, deps.vault, { provider: flow.provider, clientId, subject: tokens.claims!.sub, email, tokens });
    await trx
      .updateTable('signin_flows')
      .set({
        status: 'signed_in',
        signed_in_email: email,
        grant_id: id,
        secret_id: null,
        expires_at: new Date(Date.now() + SIGNED_IN_TTL_MS),
        updated_at: new Date(),
      })
      .where('id', '=', flow.id)
      .execute();
    await recordFlowEnd(trx, deps, flow, 'signin.signed_in', { email, addressMatches: matches });
    return id;
  });
  if (flow.purpose === 'reauth' && flow.mailbox_id && matches) {
    await applyReauth(deps, { flowId: flow.id, grantId, mailboxId: flow.mailbox_id, actorUserId: flow.user_id });
  }
  return null;
}

const ACCESS_NAMES: Record<MailAccess, string> = { imap: 'IMAP', graph: 'Microsoft Graph' };

/** A signed-in flow, checked for binding `email` by `actor`, not yet consumed. */
export async function signedInFlowFor(
  db: Executor,
  actor: User,
  flowId: string,
  opts: { email: string; confirmAddressMismatch?: boolean; purposes: FlowPurpose[]; access: MailAccess },
): Promise<SigninFlowRow & { grant_id: string }> {
  const flow = await loadOwnFlow(db, actor, flowId);
  if (
    flow.status !== 'signed_in' ||
    !flow.grant_id ||
    new Date(flow.expires_at).getTime() < Date.now() ||
    !opts.purposes.includes(flow.purpose)
  )
    throw new SigninError('oauth_flow_unusable', `This sign-in cannot be used (it is ${flow.status}). Sign in again.`, {
      details: { status: flow.status },
    });
  // Microsoft's tokens are for one API: a sign-in for IMAP cannot read a mailbox through Graph, nor the reverse.
  if (flow.access !== opts.access)
    throw new SigninError(
      'oauth_flow_unusable',
      `This sign-in gave ${ACCESS_NAMES[flow.access]} access, but the mailbox is read through ${ACCESS_NAMES[opts.access]}. Sign in again.`,
      { details: { access: flow.access, needed: opts.access } },
    );
  if (flow.expected_email !== opts.email.toLowerCase())
    throw new SigninError('oauth_flow_unusable', 'This sign-in was started for another address.', {
      details: { expectedEmail: flow.expected_email },
    });
  if (flow.signed_in_email !== flow.expected_email && !(opts.confirmAddressMismatch && actor.role === 'admin'))
    throw new SigninError(
      'oauth_address_mismatch',
      `You signed in as ${flow.signed_in_email}, not ${flow.expected_email}. Sign in with the mailbox's own account, or ask an admin to confirm the difference.`,
      { details: { expectedEmail: flow.expected_email, signedInEmail: flow.signed_in_email } },
    );
  return flow as SigninFlowRow & { grant_id: string };
}

/** Marks a signed-in flow used, once (a second binding with it fails). */
export async function consumeFlow(trx: Executor, flowId: string, mailboxId: string): Promise<void> {
  const used = await trx
    .updateTable('signin_flows')
    .set({ status: 'used', mailbox_id: mailboxId, updated_at: new Date() })
    .where('id', '=', flowId)
    .where('status', '=', 'signed_in')
    .returning(['invitation_id'])
    .executeTakeFirst();
  if (!used) throw new SigninError('oauth_flow_unusable', 'This sign-in was used already. Sign in again.');
  if (used.invitation_id)
    await trx
      .updateTable('signin_invitations')
      .set({ used_at: new Date(), mailbox_id: mailboxId })
      .where('id', '=', used.invitation_id)
      .execute();
}
