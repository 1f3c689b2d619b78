import { z } from 'zod';

/** A field's column: columns are named by snake-casing the camelCase field (`ownerUserId` is `owner_user_id`). */
export type ColumnOf<F extends string> = F extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${ColumnOf<Tail>}`
  : F;

export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The API field of a column: the column camel-cased (`owner_user_id` is `ownerUserId`). */
type FieldOf<C extends string> = C extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<FieldOf<Tail>>}` : C;

/**
 * The fields a presenter shows just as they are stored, read from their snake_case columns:
 * `storedFields(row, ['name', 'companyId'])` is `{ name: row.name, companyId: row.company_id }`.
 */
export function storedFields<Row extends object, const F extends readonly FieldOf<keyof Row & string>[]>(
  row: Row,
  fields: F,
): { [K in F[number]]: Row[ColumnOf<K> & keyof Row] } {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = (row as Record<string, unknown>)[columnOf(field)];
  return out as { [K in F[number]]: Row[ColumnOf<K> & keyof Row] };
}

/** A timestamp as the API shows it: ISO 8601 in UTC (the driver may hand back a Date or its text). */
export function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

export function isoOrNull(value: Date | string | null): string | null {
  return value ? iso(value) : null;
}

/** A timestamp field in an API schema (what `iso` writes). */
export const timestampSchema = z.string().describe('ISO 8601 date and time, UTC.');
