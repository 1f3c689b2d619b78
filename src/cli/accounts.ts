import type { z } from 'zod';
import type { Config } from '../app/config.ts';
import { cliActor } from '../auth/commands/actor.ts';
import { createToken } from '../auth/commands/tokens.ts';
import { createUser } from '../auth/commands/users.ts';
import { AuthError } from '../auth/errors.ts';
import { emailSchema, nameSchema, passwordSchema, tokenExpiresAtSchema, tokenNameSchema, tokenScopeSchema } from '../auth/input-schemas.ts';
import { findUserByEmail } from '../auth/users.ts';
import { CliError } from './cli-error.ts';
import { readSecret } from './prompt.ts';
import { withDatabase } from './with-database.ts';

function parse<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CliError(`${flag}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

export async function runAdminCreate(config: Config, values: { email?: string; name?: string }): Promise<number> {
  const email = parse(emailSchema, values.email, '--email');
  const name = parse(nameSchema, values.name, '--name');
  const password = parse(passwordSchema, await readSecret('Password: '), 'password');
  return withDatabase(config, async (db) => {
    try {
      const user = await createUser(db, { email, name, password, role: 'admin' }, cliActor);
      console.log(`Created admin ${user.email}.`);
      return 0;
    } catch (error) {
      if (error instanceof AuthError && error.code === 'email_taken') throw new CliError(`A user with the email ${email} already exists.`);
      throw error;
    }
  });
}

/**
 * Creates a personal API token with the options the API offers: `--expires-at` (an ISO 8601 date-time
 * with its offset, in the future) and `--scope read` (GET and HEAD only), checked by the same schemas.
 */
export async function runTokenCreate(
  config: Config,
  values: { email?: string; name?: string; 'expires-at'?: string; scope?: string },
): Promise<number> {
  const email = parse(emailSchema, values.email, '--email');
  const name = parse(tokenNameSchema, values.name, '--name');
  const expiresAt = values['expires-at'] === undefined ? undefined : parse(tokenExpiresAtSchema, values['expires-at'], '--expires-at');
  const scope = parse(tokenScopeSchema, values.scope ?? 'full', '--scope');
  return withDatabase(config, async (db) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new CliError(`No user with the email ${email}.`);
    if (!user.active) throw new CliError(`The user ${email} is deactivated.`);
    const { secret, token } = await createToken(db, user.id, name, cliActor, {
      scope,
      ...(expiresAt && { expiresAt: new Date(expiresAt) }),
    });
    const limits = [scope === 'read' ? 'read-only' : null, token.expiresAt ? `until ${token.expiresAt}` : null].filter(Boolean);
    console.error(
      `Created API token "${name}" for ${email}${limits.length ? ` (${limits.join(', ')})` : ''}. It is shown once; store it now:`,
    );
    console.log(secret);
    return 0;
  });
}
