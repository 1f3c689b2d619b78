import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { AccessTokenSource } from '../sync/access-token-source.ts';
import { resolveApp } from './apps.ts';
import type { SigninDeps } from './deps.ts';
import { SigninError } from './errors.ts';
import { findGrant, findGrantOfMailbox } from './grants.ts';
import { refreshTokens } from './oauth-client.ts';
import { accessOfScope } from './providers.ts';
import { organisationTokensFor } from './organisation/org-tokens.ts';
import type { MailAccess, SigninGrantRow } from './tables.ts';

/** The sync engine's AccessTokenSource (declared there, where it is used), and more. */
export interface GrantTokenSource extends AccessTokenSource {
  /** The same for a grant not yet bound to a mailbox (the connection test before binding). */
  accessTokenForGrant(grantId: string, opts?: { minValiditySeconds?: number }): Promise<string>;
}

const DEFAULT_MIN_VALIDITY_S = 300;
/** Longer than a refresh can take (the request times out after 15 s), so a crashed holder's lock runs out. */
const LOCK_SECONDS = 45;
const WAIT_FOR_OTHER_REFRESH_MS = 50_000;

function validFor(grant: SigninGrantRow, minValiditySeconds: number): boolean {
  return Boolean(
    grant.access_secret_id &&
      grant.access_expires_at &&
      new Date(grant.access_expires_at).getTime() - Date.now() > minValiditySeconds * 1000,
  );
}

function revoked(grant: Pick<SigninGrantRow, 'provider'>, cause?: SigninError): SigninError {
  const said = typeof cause?.details.providerMessage === 'string' ? ` The provider said: ${cause.details.providerMessage}` : '';
  return new SigninError(
    'oauth_revoked',
    `The ${grant.provider === 'google' ? 'Google' : 'Microsoft'} sign-in was revoked or has expired: sign in again.${said}`,
    { details: cause?.details ?? {} },
  );
}

/**
 * Access tokens from the vault, refreshed before they expire. One refresh at a time per grant: in this
 * process the callers share one promise; across processes a compare-and-swap on refresh_lock_until
 * elects the refresher, and the others wait for its result in the row (no transaction is held open
 * during the HTTP request, which the embedded database could not afford).
 */
export function createAccessTokenSource(deps: Pick<SigninDeps, 'db' | 'vault' | 'signin' | 'log' | 'timeoutMs'>): GrantTokenSource {
  const inflight = new Map<string, Promise<string>>();
  /** Mailboxes bound through an organisation grant have no refresh token: their tokens are minted. */
  const organisation = organisationTokensFor(deps);

  async function reveal(grant: SigninGrantRow): Promise<string> {
    return deps.vault.reveal(grant.access_secret_id!);
  }

  async function refreshOnce(grantId: string, minValidity: number): Promise<string> {
    const holder = randomUUID();
    const deadline = Date.now() + WAIT_FOR_OTHER_REFRESH_MS;
    while (Date.now() < deadline) {
      const locked = await deps.db
        .updateTable('signin_grants')
        .set({ refresh_lock_until: sql<Date>`now() + make_interval(secs => ${LOCK_SECONDS})`, refresh_lock_holder: holder })
        .where('id', '=', grantId)
        .where((eb) => eb.or([eb('refresh_lock_until', 'is', null), eb('refresh_lock_until', '<', sql<Date>`now()`)]))
        .returningAll()
        .executeTakeFirst();
      if (!locked) {
        // Another process refreshes: wait for its result.
        await sleep(200);
        const now = await findGrant(deps.db, grantId);
        if (!now) throw new SigninError('oauth_revoked', 'The sign-in was removed: sign in again.');
        if (now.revoked_at) throw revoked(now);
        if (validFor(now, Math.min(minValidity, 60))) return reveal(now);
        continue;
      }
      const release = () =>
        deps.db
          .updateTable('signin_grants')
          .set({ refresh_lock_until: null, refresh_lock_holder: null })
          .where('id', '=', grantId)
          .where('refresh_lock_holder', '=', holder)
          .execute();
      try {
        if (locked.revoked_at) throw revoked(locked);
        // Someone refreshed between our read and our lock.
        if (validFor(locked, minValidity)) return await reveal(locked);
        return await refreshLocked(locked, holder);
      } finally {
        await release();
      }
    }
    throw new SigninError('oauth_provider_unreachable', 'Another refresh of this sign-in is taking too long; trying again later.');
  }

  async function refreshLocked(grant: SigninGrantRow, holder: string): Promise<string> {
    const app = await resolveApp(deps, grant.provider);
    if (!grant.refresh_secret_id) throw revoked(grant);
    const refreshToken = await deps.vault.reveal(grant.refresh_secret_id);
    let tokens: Awaited<ReturnType<typeof refreshTokens>>;
    try {
      tokens = await refreshTokens(app, refreshToken, { timeoutMs: deps.timeoutMs, access: accessOfScope(grant.scope) });
    } catch (err) {
      if (err instanceof SigninError && err.code === 'oauth_revoked') {
        await deps.db
          .updateTable('signin_grants')
          .set({ revoked_at: new Date(), updated_at: new Date() })
          .where('id', '=', grant.id)
          .execute();
        deps.log.warn({ grantId: grant.id, mailboxId: grant.mailbox_id, code: err.code }, 'oauth refresh refused for good');
        throw revoked(grant, err);
      } else if (err instanceof SigninError) {
        deps.log.warn({ grantId: grant.id, mailboxId: grant.mailbox_id, code: err.code }, 'oauth refresh failed');
      }
      throw err;
    }
    await deps.db.transaction().execute(async (trx) => {
      // A provider may rotate the refresh token (Microsoft does, Google may): keep the newest.
      if (tokens.refreshToken && tokens.refreshToken !== refreshToken)
        await deps.vault.replace(trx, grant.refresh_secret_id!, tokens.refreshToken);
      const owner = { ownerType: 'signin_grant', ownerId: grant.id, kind: 'oauth_access_token' };
      const accessSecretId = await deps.vault.putOrReplace(trx, grant.access_secret_id, owner, tokens.accessToken);
      await trx
        .updateTable('signin_grants')
        .set({ access_secret_id: accessSecretId, access_expires_at: tokens.expiresAt, updated_at: new Date() })
        .where('id', '=', grant.id)
        .where('refresh_lock_holder', '=', holder)
        .execute();
    });
    deps.log.info(
      { grantId: grant.id, mailboxId: grant.mailbox_id, expiresAt: tokens.expiresAt.toISOString() },
      'oauth access token refreshed',
    );
    return tokens.accessToken;
  }

  async function forGrant(grant: SigninGrantRow | undefined, minValidity: number, access: MailAccess = 'imap'): Promise<string> {
    if (!grant) throw new SigninError('oauth_revoked', 'This mailbox has no stored sign-in: sign in again.');
    if (grant.revoked_at) throw revoked(grant);
    // An organisation grant serves both: the mailbox's protocol says which app-only token it needs.
    if (grant.kind === 'organisation') return organisation.accessTokenForGrant(grant, { minValiditySeconds: minValidity, access });
    if (validFor(grant, minValidity)) return reveal(grant);
    let pending = inflight.get(grant.id);
    if (!pending) {
      pending = refreshOnce(grant.id, minValidity).finally(() => inflight.delete(grant.id));
      inflight.set(grant.id, pending);
    }
    return pending;
  }

  // Callers asking at once share one answer from the grant's lookup on: a caller whose lookup returned
  // after a refresh had finished would otherwise see no refresh in flight and start a second one.
  const asking = new Map<string, Promise<string>>();

  return {
    accessTokenFor(mailbox, opts) {
      const minValidity = opts?.minValiditySeconds ?? DEFAULT_MIN_VALIDITY_S;
      const key = `${mailbox.id}:${minValidity}`;
      let answer = asking.get(key);
      if (!answer) {
        answer = findGrantOfMailbox(deps.db, mailbox.id)
          .then((grant) => forGrant(grant, minValidity, mailbox.protocol === 'graph' ? 'graph' : 'imap'))
          .finally(() => asking.delete(key));
        asking.set(key, answer);
      }
      return answer;
    },
    async accessTokenForGrant(grantId, opts) {
      return forGrant(await findGrant(deps.db, grantId), opts?.minValiditySeconds ?? DEFAULT_MIN_VALIDITY_S);
    },
  };
}
