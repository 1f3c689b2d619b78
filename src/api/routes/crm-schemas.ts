import { z } from 'zod';
import { MAX_PAGE, type SortField, sortValues } from '../../crm/shared/keyset.ts';
import { isCurrency, MONEY_PATTERN, normaliseMoney } from '../../crm/shared/money.ts';
import { pageQuery } from '../query-schemas.ts';
import { problemSchema } from '../schemas.ts';

/** Shared pieces of the CRM routes' schemas. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));
export const recordName = z.string().trim().min(1).max(200);
export const money = z
  .string()
  .trim()
  .regex(MONEY_PATTERN, { message: 'must be a decimal string like "1234.50"' })
  .transform(normaliseMoney);
export const currency = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine(isCurrency, { message: 'must be an ISO 4217 currency code' });
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
export const uuid = z.uuid({ message: 'must be an id' });
/** A list's `q`: a substring of the name (or of an address or domain), any script. */
export const searchText = z.string().trim().min(1).max(200).optional();

/** `limit`, `cursor` and a whitelisted `sort` for a CRM list route. */
export function listQuery<S extends z.ZodRawShape>(fields: Record<string, SortField>, defaultSort: string, filters: S) {
  return z.strictObject({
    ...filters,
    sort: z.enum(sortValues(fields)).default(defaultSort),
    ...pageQuery(MAX_PAGE).shape,
  });
}

/**
 * The problem+json answers a route may give, for the OpenAPI document only: the error handler writes
 * problems with its own serializer, so these schemas never cut a problem's extra fields.
 */
export function problems<S extends number>(...statuses: S[]): Record<S, typeof problemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<S, typeof problemSchema>;
}
