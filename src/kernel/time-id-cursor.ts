import { DomainError } from './errors.ts';

/**
 * The keyset cursor of a list ordered by a moment, then by a row's uuid: opaque to clients (base64url JSON),
 * checked on the way back in so a forged cursor is `invalid_cursor`, never a database error. `key` names the
 * moment's field inside the cursor, so each list keeps the cursors it already handed out.
 */
export interface TimeIdCursor {
  at: string;
  id: string;
}

export function encodeTimeIdCursor(key: string, at: Date | string, id: string): string {
  return Buffer.from(JSON.stringify({ [key]: new Date(at).toISOString(), i: id })).toString('base64url');
}

export function decodeTimeIdCursor(key: string, cursor: string): TimeIdCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const at = c[key];
    const id = c.i;
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/i.test(id)) return { at, id };
  } catch {
    // not base64url JSON: refused below
  }
  throw new DomainError('invalid_cursor', 'The cursor is not one this list gave.');
}
