import { z } from 'zod';
import { type ColumnOf, columnOf } from './columns.ts';

/** A timestamp as the API shows it: ISO 8601 in UTC (the driver may hand back a Date or its text). */
export function iso(value: Date): string {
  return new Date(value).toISOString();
}

export function isoOrNull(value: Date | null): string | null {
  return value ? iso(value) : null;
}

/** The fields every CRM record ends with: who owns it, when it was made and when it last changed. */
export const recordStampsSchema = {
  ownerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export function recordStamps(row: { owner_user_id: string; created_at: Date; updated_at: Date }): {
  ownerId: string;
  createdAt: string;
  updatedAt: string;
} {
  return { ownerId: row.owner_user_id, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) };
}

/** A linked record by id and name; null when there is no link (or the joined row is gone). */
export function namedLink(id: string | null, name: string | null): { id: string; name: string } | null {
  return id && name !== null ? { id, name } : null;
}

/** The API field of a column: the column camel-cased (`owner_user_id` is `ownerUserId`). */
type FieldOf<C extends string> = C extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<FieldOf<Tail>>}` : C;

/**
 * The fields a record shows just as they are stored, read from their snake_case columns:
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

type StampedRow = { id: string; owner_user_id: string; created_at: Date; updated_at: Date };

/** A CRM record's API schema from the fields that are its own: `id` comes first and the stamps last. */
export function recordSchema<Own extends z.ZodRawShape>(own: Own) {
  return z.object({ id: z.string(), ...own, ...recordStampsSchema });
}

type RecordStamps = ReturnType<typeof recordStamps>;

/**
 * A CRM record's presenter from the function that presents its own fields: `id` and the stamps are
 * added, and the result is typed (and checked) as the record's schema says.
 */
export function recordPresenter<Row extends StampedRow, View extends { id: string } & RecordStamps>(
  _schema: z.ZodType<View>,
  own: (row: Row) => Omit<View, 'id' | keyof RecordStamps>,
): (row: Row) => View {
  // The spread is exactly View's keys; the compiler cannot see that through Omit on a type parameter.
  return (row) => ({ id: row.id, ...own(row), ...recordStamps(row) }) as unknown as View;
}
