import { z } from 'zod';
import { recordStamps, recordStampsSchema } from '../shared/presenter.ts';
import type { CompanyRow } from './repository.ts';

export const companySchema = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  industry: z.string().nullable(),
  notes: z.string().nullable(),
  ...recordStampsSchema,
});

export type CompanyView = z.infer<typeof companySchema>;

export function presentCompany(row: CompanyRow): CompanyView {
  return {
    id: row.id,
    name: row.name,
    domains: row.domains,
    industry: row.industry,
    notes: row.notes,
    ...recordStamps(row),
  };
}
