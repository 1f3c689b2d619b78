import { z } from 'zod';

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
