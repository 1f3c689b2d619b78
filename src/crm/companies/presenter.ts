import { z } from 'zod';
import type { CompanyRow } from './repository.ts';

export const companySchema = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  industry: z.string().nullable(),
  ownerId: z.string(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CompanyView = z.infer<typeof companySchema>;

export function presentCompany(row: CompanyRow): CompanyView {
  return {
    id: row.id,
    name: row.name,
    domains: row.domains,
    industry: row.industry,
    ownerId: row.owner_user_id,
    notes: row.notes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
