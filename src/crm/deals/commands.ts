import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import { type CrmEvent, recordChanged } from '../events.ts';
import { findStage, firstOpenStage } from '../pipeline/repository.ts';
import { assertExists, resolveOwner } from '../shared/access.ts';
import { editableRecord } from '../shared/records.ts';
import { type Actor, commitWrite, type CrmDeps } from '../shared/write.ts';
import type { DealView } from './presenter.ts';
import { dealRecord } from './record.ts';
import { findDeal, insertDeal, replaceDealContacts, updateDeal } from './repository.ts';
import { applyStage } from './stage-rules.ts';

export interface DealCreateInput {
  name: string;
  companyId?: string | null | undefined;
  contactIds: string[];
  amount: string;
  currency: string;
  /** Default: the first open stage. */
  stageId?: string | undefined;
  expectedCloseDate?: string | null | undefined;
  lostReason?: string | null | undefined;
  ownerId?: string | undefined;
}

export type DealChangeInput = Partial<DealCreateInput>;

async function stageOrThrow(db: Kysely<Database>, id: string) {
  const stage = await findStage(db, id);
  if (!stage) throw new CrmError('unknown_stage', 'The pipeline stage does not exist.');
  return stage;
}

async function assertContacts(db: Kysely<Database>, ids: string[] | undefined): Promise<void> {
  const unique = [...new Set(ids ?? [])];
  if (!unique.length) return;
  const found = await db.selectFrom('contacts').select('id').where('id', 'in', unique).execute();
  if (found.length !== unique.length) throw new CrmError('unknown_contact', 'One of the contacts does not exist.');
}

async function presented(trx: Transaction<Database>, id: string): Promise<DealView> {
  return dealRecord.present((await findDeal(trx, id))!);
}

/** Creates a deal in its stage; a lost stage needs `lostReason`. */
export async function createDeal(deps: CrmDeps, actor: Actor, input: DealCreateInput): Promise<DealView> {
  const ownerUserId = await resolveOwner(deps.db, actor.user, input.ownerId);
  await assertExists(deps.db, 'companies', input.companyId, 'unknown_company');
  await assertContacts(deps.db, input.contactIds);
  const stage = input.stageId ? await stageOrThrow(deps.db, input.stageId) : await firstOpenStage(deps.db);
  const move = applyStage(stage, null, input.lostReason);
  return commitWrite(deps, actor, async (trx) => {
    const id = await insertDeal(trx, {
      name: input.name,
      companyId: input.companyId ?? null,
      amount: input.amount,
      currency: input.currency,
      stageId: stage.id,
      expectedCloseDate: input.expectedCloseDate ?? null,
      ownerUserId,
      ...move,
    });
    await replaceDealContacts(trx, id, input.contactIds);
    return {
      result: await presented(trx, id),
      audit: { action: 'deal.create', targetType: 'deal', targetId: id, detail: { stageId: stage.id, status: move.status } },
      events: recordChanged('deal', id, 'created', actor.user.id),
    };
  });
}

/** Changes a deal; moving to a won/lost stage closes it (lost needs a reason), back to an open stage reopens it. */
export async function changeDeal(deps: CrmDeps, actor: Actor, id: string, input: DealChangeInput): Promise<DealView> {
  const existing = await editableRecord(deps.db, dealRecord, actor, id);
  const ownerUserId = input.ownerId === undefined ? undefined : await resolveOwner(deps.db, actor.user, input.ownerId);
  await assertExists(deps.db, 'companies', input.companyId, 'unknown_company');
  await assertContacts(deps.db, input.contactIds);
  const stageChanges = input.stageId !== undefined || input.lostReason !== undefined;
  const stage = stageChanges ? await stageOrThrow(deps.db, input.stageId ?? existing.stage_id) : null;
  const move = stage
    ? applyStage(stage, { status: existing.status, lostReason: existing.lost_reason, closedAt: existing.closed_at }, input.lostReason)
    : {};
  return commitWrite(deps, actor, async (trx) => {
    await updateDeal(trx, existing.id, {
      name: input.name,
      companyId: input.companyId,
      amount: input.amount,
      currency: input.currency,
      stageId: input.stageId,
      expectedCloseDate: input.expectedCloseDate,
      ownerUserId,
      ...move,
    });
    if (input.contactIds) await replaceDealContacts(trx, existing.id, input.contactIds);
    const detail = {
      changed: Object.keys(input),
      ...(input.stageId && { stageId: input.stageId }),
      ...('status' in move && { status: move.status }),
    };
    const stageMoved: CrmEvent[] =
      input.stageId && input.stageId !== existing.stage_id
        ? [
            {
              type: 'deal.stage_changed',
              data: { dealId: existing.id, fromStageId: existing.stage_id, toStageId: input.stageId, actorUserId: actor.user.id },
            },
          ]
        : [];
    return {
      result: await presented(trx, existing.id),
      audit: { action: 'deal.update', targetType: 'deal', targetId: existing.id, detail },
      events: [...recordChanged('deal', existing.id, 'updated', actor.user.id, Object.keys(input)), ...stageMoved],
    };
  });
}
