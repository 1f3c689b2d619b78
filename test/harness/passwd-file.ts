import { createHash, timingSafeEqual } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError } from './errors.ts';

// Dovecot's passwd-file holds `user:{SHA256}base64:uid:gid:gecos:home:shell:extra`. Hashes keep test
// passwords out of the file; Dovecot re-reads the file when it changes, so no reload is needed.

/** Where a Dovecot instance keeps its users; the SMTP harness checks AUTH against the same file. */
export function usersFile(instanceDir: string): string {
  return path.join(instanceDir, 'users');
}

function sha256(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

/** One passwd-file line; uid, gid and home come from the userdb's default_fields. */
export function passwdLine(user: string, password: string): string {
  if (!/^[^\s:]+$/.test(user)) {
    throw new HarnessError('BAD_USER_NAME', 'user names must not contain whitespace or ":"');
  }
  return `${user}:{SHA256}${sha256(password)}::::::\n`;
}

/** A userdb-only line (token users): no password field, so a passdb could never match it. */
export function userdbLine(user: string): string {
  if (!/^[^\s:]+$/.test(user)) {
    throw new HarnessError('BAD_USER_NAME', 'user names must not contain whitespace or ":"');
  }
  return `${user}::::::\n`;
}

/** Token users of an instance (see userdbLine); the SMTP harness delivers to them as well. */
export function oauthUsersFile(instanceDir: string): string {
  return path.join(instanceDir, 'oauth-users');
}

export async function addPasswdUser(file: string, user: string, password: string): Promise<void> {
  if ((await readPasswdFile(file)).has(user)) {
    throw new HarnessError('USER_EXISTS', `user ${user} already exists`);
  }
  await appendFile(file, passwdLine(user, password), { mode: 0o644 });
}

/** Gives an existing user a new password, as an admin changing it on the server (the old one stops working). */
export async function setPasswdUser(file: string, user: string, password: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const at = lines.findIndex((l) => l.split(':')[0] === user);
  if (at < 0) throw new HarnessError('NO_SUCH_USER', `user ${user} does not exist`);
  lines[at] = passwdLine(user, password).trimEnd();
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o644 });
}

async function readPasswdFile(file: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw cause;
  }
  const users = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [user, hash] = line.split(':');
    if (user) users.set(user, hash ?? '');
  }
  return users;
}

export async function hasPasswdUser(file: string, user: string): Promise<boolean> {
  return (await readPasswdFile(file)).has(user);
}

/** True when `password` is the user's password; false for an unknown user or a wrong password. */
export async function verifyPasswdUser(file: string, user: string, password: string): Promise<boolean> {
  const stored = (await readPasswdFile(file)).get(user);
  if (stored === undefined) return false;
  const expected = Buffer.from(stored);
  const actual = Buffer.from(`{SHA256}${sha256(password)}`);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
