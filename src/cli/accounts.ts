import { isUniqueViolation } from '../kernel/index.ts';
import { z } from 'zod';
import type { Config } from '../app/config.ts';
import { recordAudit } from '../audit/index.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { findUserByEmail, insertUser } from '../auth/users.ts';
import { emailSchema, nameSchema, passwordSchema } from '../api/schemas.ts';
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
      const user = await insertUser(db, { email, name, password, role: 'admin' });
      await recordAudit(db, { actorUserId: null, action: 'user.create', targetType: 'user', targetId: user.id, detail: { role: 'admin', via: 'cli' } });
      console.log(`Created admin ${user.email}.`);
      return 0;
    } catch (error) {
      if (isUniqueViolation(error)) throw new CliError(`A user with the email ${email} already exists.`);
      throw error;
    }
  });
}

export async function runTokenCreate(config: Config, values: { email?: string; name?: string }): Promise<number> {
  const email = parse(emailSchema, values.email, '--email');
  const name = parse(z.string().trim().min(1).max(100), values.name, '--name');
  return withDatabase(config, async (db) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new CliError(`No user with the email ${email}.`);
    if (!user.active) throw new CliError(`The user ${email} is deactivated.`);
    const { row, secret } = await createApiToken(db, user.id, name);
    await recordAudit(db, { actorUserId: null, action: 'token.create', targetType: 'api_token', targetId: row.id, detail: { via: 'cli', user: user.id } });
    console.error(`Created API token "${name}" for ${email}. It is shown once; store it now:`);
    console.log(secret);
    return 0;
  });
}
