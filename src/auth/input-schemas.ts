import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';

// What a person types for an account, checked the same way by the API and the `tidings` command.
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(200);
export const nameSchema = z.string().trim().min(1).max(120);
/** A team's name; null (or an empty string) takes the user out of any team. */
export const teamSchema = z
  .string()
  .trim()
  .max(80)
  .nullable()
  .transform((v) => (v ? v : null));
export const roleSchema = z.enum(['admin', 'member']);
export const localeSchema = z.enum(['en', 'zh-CN']);
export const tokenNameSchema = z.string().trim().min(1).max(100);
/** When a new API token stops working: an ISO 8601 date-time with its offset, in the future. */
export const tokenExpiresAtSchema = z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), 'must be in the future');
/** `read`: GET and HEAD only. */
export const tokenScopeSchema = z.enum(['full', 'read']);
