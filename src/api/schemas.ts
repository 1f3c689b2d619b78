import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';

export const emailSchema = z.string().trim().max(254).pipe(z.email({ message: 'must be an email address' }));
export const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }).max(200);
export const nameSchema = z.string().trim().min(1).max(120);
export const roleSchema = z.enum(['admin', 'member']);
export const localeSchema = z.enum(['en', 'zh-CN']);
export const uuidParam = z.strictObject({ id: z.uuid({ message: 'must be an id' }) });

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  active: z.boolean(),
  locale: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
