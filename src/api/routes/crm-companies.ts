import { z } from 'zod';
import { recordAudit } from '../../audit/index.ts';
import { requireUser } from '../../auth/request-auth.ts';
import { parseDomains } from '../../crm/companies/domains.ts';
import { companySchema, presentCompany } from '../../crm/companies/presenter.ts';
import { companySortFields, deleteCompany, findCompany, insertCompany, listCompanies, updateCompany } from '../../crm/companies/repository.ts';
import { emitCrmEvents } from '../../crm/events.ts';
import { assertCanEdit, resolveOwner } from '../../crm/shared/access.ts';
import { NotFoundError } from '../../kernel/index.ts';
import type { RouteContext } from '../context.ts';
import { uuidParam } from '../schemas.ts';
import { listQuery, optionalText, page, pageArgs, recordName, uuid } from './crm-schemas.ts';

const domainList = z.array(z.string().max(253)).max(50);
const one = z.object({ company: companySchema });

export function crmCompanyRoutes({ app, db, services }: RouteContext): void {
  app.get('/api/v1/companies', {
    schema: {
      tags: ['crm'],
      querystring: listQuery(companySortFields, 'name', { q: z.string().trim().min(1).max(200).optional(), ownerId: uuid.optional(), domain: z.string().trim().max(253).optional() }),
      response: { 200: page(companySchema) },
    },
  }, async (request) => {
    requireUser(request);
    const { spec, cursor, limit } = pageArgs(request.query, companySortFields, 'co.id');
    const { rows, nextCursor } = await listCompanies(db, request.query, spec, cursor, limit);
    return { items: rows.map(presentCompany), nextCursor };
  });

  app.get('/api/v1/companies/:id', { schema: { tags: ['crm'], params: uuidParam, response: { 200: one } } }, async (request) => {
    requireUser(request);
    const row = await findCompany(db, request.params.id);
    if (!row) throw new NotFoundError('company');
    return { company: presentCompany(row) };
  });

  app.post('/api/v1/companies', {
    schema: {
      tags: ['crm'],
      body: z.strictObject({ name: recordName, domains: domainList.default([]), industry: optionalText(200), notes: optionalText(20000), ownerId: uuid.optional() }),
      response: { 201: one },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const { name, industry, notes, ownerId } = request.body;
    const domains = parseDomains(request.body.domains);
    const ownerUserId = await resolveOwner(db, user, ownerId);
    const { row, events } = await db.transaction().execute(async (trx) => {
      const { id, events } = await insertCompany(trx, { name, industry: industry ?? null, notes: notes ?? null, ownerUserId, domains });
      await recordAudit(trx, { actorUserId: user.id, action: 'company.create', targetType: 'company', targetId: id, ip: request.ip, detail: { domains } });
      return { row: (await findCompany(trx, id))!, events };
    });
    emitCrmEvents(services.events, events);
    return reply.code(201).send({ company: presentCompany(row) });
  });

  app.patch('/api/v1/companies/:id', {
    schema: {
      tags: ['crm'],
      description: 'Changes fields; `domains` replaces the whole list.',
      params: uuidParam,
      body: z.strictObject({ name: recordName.optional(), domains: domainList.optional(), industry: optionalText(200), notes: optionalText(20000), ownerId: uuid.optional() }),
      response: { 200: one },
    },
  }, async (request) => {
    const user = requireUser(request);
    const existing = await findCompany(db, request.params.id);
    if (!existing) throw new NotFoundError('company');
    assertCanEdit(user, existing.owner_user_id);
    const { name, industry, notes, ownerId } = request.body;
    const domains = request.body.domains ? parseDomains(request.body.domains) : undefined;
    const ownerUserId = ownerId === undefined ? undefined : await resolveOwner(db, user, ownerId);
    const { row, events } = await db.transaction().execute(async (trx) => {
      const events = await updateCompany(trx, existing.id, { name, industry, notes, ownerUserId, domains });
      await recordAudit(trx, { actorUserId: user.id, action: 'company.update', targetType: 'company', targetId: existing.id, ip: request.ip, detail: { changed: Object.keys(request.body) } });
      return { row: (await findCompany(trx, existing.id))!, events };
    });
    emitCrmEvents(services.events, events);
    return { company: presentCompany(row) };
  });

  app.delete('/api/v1/companies/:id', { schema: { tags: ['crm'], params: uuidParam } }, async (request, reply) => {
    const user = requireUser(request);
    const existing = await findCompany(db, request.params.id);
    if (!existing) throw new NotFoundError('company');
    assertCanEdit(user, existing.owner_user_id);
    await db.transaction().execute(async (trx) => {
      await deleteCompany(trx, existing.id);
      await recordAudit(trx, { actorUserId: user.id, action: 'company.delete', targetType: 'company', targetId: existing.id, ip: request.ip, detail: { name: existing.name } });
    });
    return reply.code(204).send();
  });
}
