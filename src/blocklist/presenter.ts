import { z } from 'zod';
import type { BlocklistEntry } from './tables.ts';

export const blocklistEntrySchema = z.object({
  id: z.string(),
  scope: z.enum(['workspace', 'user']),
  kind: z.enum(['address', 'domain']),
  value: z.string(),
  createdAt: z.string(),
});

export type BlocklistEntryView = z.infer<typeof blocklistEntrySchema>;

export function presentEntry(e: BlocklistEntry): BlocklistEntryView {
  return { id: e.id, scope: e.scope, kind: e.kind, value: e.value, createdAt: new Date(e.created_at).toISOString() };
}
