import type { FastifyRequest } from 'fastify';
import type { Actor } from '../audit/index.ts';
import { requireAdmin, requireUser } from '../auth/request-auth.ts';

/** The signed-in caller as a command's actor (401 when nobody is signed in). */
export function actorOf(request: FastifyRequest): Actor {
  return { user: requireUser(request), ip: request.ip };
}

/** The same for admin-only commands (403 for members). */
export function adminActorOf(request: FastifyRequest): Actor {
  return { user: requireAdmin(request), ip: request.ip };
}
