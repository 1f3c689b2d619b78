import { z } from 'zod';
import { recordPresenter, recordSchema, storedFields } from '../shared/presenter.ts';
import type { CompanyRow } from './repository.ts';

export const companySchema = recordSchema({
  name: z.string(),
  domains: z.array(z.string()),
  industry: z.string().nullable(),
  notes: z.string().nullable(),
});

export type CompanyView = z.infer<typeof companySchema>;

export const presentCompany = recordPresenter(companySchema, (row: CompanyRow) =>
  storedFields(row, ['name', 'domains', 'industry', 'notes']),
);
