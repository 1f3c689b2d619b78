import { z } from 'zod';
import { iso } from '../../kernel/index.ts';

export { iso, isoOrNull, storedFields } from '../../kernel/index.ts';

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
