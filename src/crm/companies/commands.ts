import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { resolveOwner } from '../shared/access.ts';
import { recordChanged } from '../events.ts';
import { editableRecord } from '../shared/records.ts';
import { type Actor, changeAudit, commitWrite, type CrmDeps } from '../shared/write.ts';
import { parseDomains } from './domains.ts';
import type { CompanyView } from './presenter.ts';
import { companyRecord } from './record.ts';
import { findCompany, insertCompany, updateCompany } from './repository.ts';

export interface CompanyCreateInput {
  name: string;
  /** As typed; normalised here (public mail domains refused). */
  domains: string[];
  industry?: string | null | undefined;
  notes?: string | null | undefined;
  ownerId?: string | undefined;
}

export type CompanyChangeInput = Partial<CompanyCreateInput>;

async function presented(trx: Transaction<Database>, id: string): Promise<CompanyView> {
  return companyRecord.present((await findCompany(trx, id))!);
}

/** Creates a company with its domains; announces each `company.domain_added`. */
export async function createCompany(deps: CrmDeps, actor: Actor, input: CompanyCreateInput): Promise<CompanyView> {
  const domains = parseDomains(input.domains);
  const ownerUserId = await resolveOwner(deps.db, actor.user, input.ownerId);
  return commitWrite(deps, actor, async (trx) => {
    const { id, events } = await insertCompany(trx, {
      name: input.name,
      industry: input.industry ?? null,
      notes: input.notes ?? null,
      ownerUserId,
      domains,
    });
    return {
      result: await presented(trx, id),
      audit: { action: 'company.create', targetType: 'company', targetId: id, detail: { domains } },
      events: [...events, ...recordChanged('company', id, 'created', actor.user.id)],
    };
  });
}

/** Changes a company's fields; `domains` replaces the whole list. */
export async function changeCompany(deps: CrmDeps, actor: Actor, id: string, input: CompanyChangeInput): Promise<CompanyView> {
  const existing = await editableRecord(deps.db, companyRecord, actor, id);
  const domains = input.domains ? parseDomains(input.domains) : undefined;
  const ownerUserId = input.ownerId === undefined ? undefined : await resolveOwner(deps.db, actor.user, input.ownerId);
  return commitWrite(deps, actor, async (trx) => {
    const events = await updateCompany(trx, existing.id, {
      name: input.name,
      industry: input.industry,
      notes: input.notes,
      ownerUserId,
      domains,
    });
    return {
      result: await presented(trx, existing.id),
      audit: changeAudit('company', existing.id, input),
      events: [...events, ...recordChanged('company', existing.id, 'updated', actor.user.id, Object.keys(input))],
    };
  });
}
