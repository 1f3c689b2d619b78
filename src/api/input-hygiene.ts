import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldError, ValidationError } from '../kernel/index.ts';

const NUL = '\u0000';
const MESSAGE = 'must not contain the NUL character (U+0000)';

/** Where a NUL was found, as `body.fields.note` or `querystring.q` (the paths schema errors use). */
function findNul(value: unknown, path: string[], found: FieldError[]): void {
  if (found.length >= 20) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ path: path.join('.'), message: MESSAGE });
    return;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) findNul(item, [...path, String(i)], found);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) found.push({ path: [...path, key.replaceAll(NUL, '\\u0000')].join('.'), message: MESSAGE });
    findNul(item, [...path, key], found);
  }
}

/** The NUL characters in a request's body, query and path parameters, with the path of each. */
export function nulCharacters(request: Pick<FastifyRequest, 'body' | 'query' | 'params'>): FieldError[] {
  const found: FieldError[] = [];
  findNul(request.params, ['params'], found);
  findNul(request.query, ['querystring'], found);
  findNul(request.body, ['body'], found);
  return found;
}

/**
 * Refuses, before any route's schema or code runs, every request that carries U+0000 in a string of its
 * body, query or path: PostgreSQL text and jsonb cannot hold it, so such a value would otherwise fail
 * deep inside a query as a server error. One hook for every route, so a new route cannot forget it.
 */
export function installInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found = nulCharacters(request);
    if (found.length === 0) return;
    throw new ValidationError(`The request is invalid: ${found.map((e) => `${e.path}: ${e.message}`).join('; ')}`, found);
  });
}
