import { z } from 'zod';
import { changeCompany, createCompany } from '../../crm/companies/commands.ts';
import { companySchema } from '../../crm/companies/presenter.ts';
import { companyRecord } from '../../crm/companies/record.ts';
import { companySortFields } from '../../crm/companies/repository.ts';
import type { RouteContext } from '../context.ts';
import { crmRecordRoutes } from './crm-record-routes.ts';
import { listQuery, searchText, optionalText, recordName, uuid } from './crm-schemas.ts';

const domainList = z.array(z.string().max(253)).max(50);

export function crmCompanyRoutes(context: RouteContext): void {
  crmRecordRoutes(context, {
    path: '/api/v1/companies',
    record: companyRecord,
    item: companySchema,
    query: listQuery(companySortFields, 'name', { q: searchText, ownerId: uuid.optional(), domain: z.string().trim().max(253).optional() }),
    create: {
      body: z.strictObject({
        name: recordName,
        domains: domainList.default([]),
        industry: optionalText(200),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      run: createCompany,
    },
    change: {
      description: 'Changes fields; `domains` replaces the whole list.',
      body: z.strictObject({
        name: recordName.optional(),
        domains: domainList.optional(),
        industry: optionalText(200),
        notes: optionalText(20000),
        ownerId: uuid.optional(),
      }),
      run: changeCompany,
    },
  });
}
