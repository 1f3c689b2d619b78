import { z } from 'zod';
import { changeCompany, createCompany } from '../../crm/companies/commands.ts';
import { companySchema } from '../../crm/companies/presenter.ts';
import { companyRecord } from '../../crm/companies/record.ts';
import { companySortFields } from '../../crm/companies/repository.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { actorOf } from '../request-actor.ts';
import { crmDeps, crmRecordRoutes } from './crm-record-routes.ts';
import { listQuery, optionalText, recordName, uuid } from './crm-schemas.ts';

const domainList = z.array(z.string().max(253)).max(50);
const one = z.object({ company: companySchema });

export function crmCompanyRoutes(context: RouteContext): void {
  const { app } = context;
  const deps = crmDeps(context);
  crmRecordRoutes(context, {
    path: '/api/v1/companies',
    key: 'company',
    record: companyRecord,
    item: companySchema,
    query: listQuery(companySortFields, 'name', { q: z.string().trim().min(1).max(200).optional(), ownerId: uuid.optional(), domain: z.string().trim().max(253).optional() }),
  });

  app.post('/api/v1/companies', {
    schema: {
      tags: ['crm'],
      body: z.strictObject({ name: recordName, domains: domainList.default([]), industry: optionalText(200), notes: optionalText(20000), ownerId: uuid.optional() }),
      response: { 201: one },
    },
  }, async (request, reply) => reply.code(201).send({ company: await createCompany(deps, actorOf(request), request.body) }));

  app.patch('/api/v1/companies/:id', {
    schema: {
      tags: ['crm'],
      description: 'Changes fields; `domains` replaces the whole list.',
      params: uuidParam,
      body: z.strictObject({ name: recordName.optional(), domains: domainList.optional(), industry: optionalText(200), notes: optionalText(20000), ownerId: uuid.optional() }),
      response: { 200: one },
    },
  }, async (request) => ({ company: await changeCompany(deps, actorOf(request), request.params.id, request.body) }));
}
