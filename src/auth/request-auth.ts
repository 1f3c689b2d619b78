import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DomainError, ForbiddenError } from '../kernel/index.ts';
import { findUserIdByToken } from './api-tokens.ts';
import { AuthError } from './errors.ts';
import { safeEqual } from './secrets.ts';
import { findSession } from './sessions.ts';
import type { User } from './tables.ts';
import { findUserById } from './users.ts';

export const SESSION_COOKIE = 'tidings_session';
export const CSRF_COOKIE = 'tidings_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestAuth {
  user: User;
  via: 'session' | 'token';
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Pages outside /api/ that need to know the signed-in user: the OAuth redirect target checks that the
 * sign-in it completes was started by the same Tidings user (src/signin/flows.ts).
 */
const SESSION_PAGE = /^\/oauth\/callback(?:\?|$)/;
/** What a read-only API token may do. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Works out who is calling, once per request: a bearer API token, or a session cookie. Cookie-authenticated
 * writes must carry the session's CSRF token in a header (a page on another site cannot read our cookie
 * to copy it). Any write with a foreign Origin header is refused outright.
 */
export function installRequestAuth(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') && !SESSION_PAGE.test(request.url)) return;
    const unsafe = !SAFE_METHODS.has(request.method);
    if (unsafe) checkOrigin(request);

    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AuthError('invalid_token', 'The Authorization header must be "Bearer <token>".');
      const found = await findUserIdByToken(db, match[1]!);
      const user = found ? await findUserById(db, found.userId) : undefined;
      if (!found || !user?.active) {
        throw new AuthError('invalid_token', 'The API token is unknown, revoked, expired or belongs to a deactivated user.');
      }
      if (found.scope === 'read' && !READ_METHODS.has(request.method)) {
        throw new AuthError('token_read_only', 'This API token may only read (GET, HEAD).');
      }
      request.auth = { user, via: 'token' };
      return;
    }

    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const session = await findSession(db, cookie);
    if (!session) return;
    const user = await findUserById(db, session.userId);
    if (!user?.active) return;
    if (unsafe) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new AuthError('csrf_failed', `Missing or wrong ${CSRF_HEADER} header; reload the page and try again.`);
      }
    }
    request.auth = { user, via: 'session', sessionId: session.sessionId };
  });
}

function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AuthError('csrf_failed', 'The Origin header is malformed.');
  }
  // request.host is X-Forwarded-Host only when the request came through a trusted proxy (build-app.ts).
  const expected = [request.headers.host, request.host].filter(Boolean);
  if (!expected.includes(host)) throw new AuthError('csrf_failed', 'Cross-site requests are not allowed.');
}

export function requireUser(request: FastifyRequest): User {
  if (!request.auth) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return request.auth.user;
}

export function requireAdmin(request: FastifyRequest): User {
  const user = requireUser(request);
  if (user.role !== 'admin') throw new ForbiddenError('Only admins can do this.');
  return user;
}
