import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { NotFoundError } from '../../kernel/index.ts';
import { type Actor, commitWrite, type CrmDeps } from '../shared/write.ts';
import type { StageKind, StageName } from '../tables.ts';
import { presentStage, type StageView } from './presenter.ts';
import { deleteStage, findStage, insertStage, listStages, reorderStages, updateStage } from './repository.ts';

// Stage changes are an admin's (the route checks the role). The stage is read inside the transaction
// because positions and deal counts are what the change is checked against.

async function stageIn(trx: Transaction<Database>, id: string) {
  const stage = await findStage(trx, id);
  if (!stage) throw new NotFoundError('stage');
  return stage;
}

/** Every stage in pipeline order, as the API shows them. */
export async function readStages(db: Parameters<typeof listStages>[0]): Promise<StageView[]> {
  return (await listStages(db)).map(presentStage);
}

/** Adds a stage at `position` (1-based; default last). */
export function createStage(
  deps: CrmDeps,
  actor: Actor,
  input: { name: StageName; kind: StageKind; position?: number | undefined },
): Promise<StageView> {
  return commitWrite(deps, actor, async (trx) => {
    const id = await insertStage(trx, input);
    return {
      result: presentStage(await stageIn(trx, id)),
      audit: { action: 'pipeline_stage.create', targetType: 'pipeline_stage', targetId: id, detail: { kind: input.kind } },
    };
  });
}

/** Renames (languages given are replaced, others kept) or changes the kind of a stage no deal is in. */
export function changeStage(
  deps: CrmDeps,
  actor: Actor,
  id: string,
  input: { name?: StageName | undefined; kind?: StageKind | undefined },
): Promise<StageView> {
  return commitWrite(deps, actor, async (trx) => {
    const existing = await stageIn(trx, id);
    await updateStage(trx, existing, input);
    return {
      result: presentStage(await stageIn(trx, existing.id)),
      audit: {
        action: 'pipeline_stage.update',
        targetType: 'pipeline_stage',
        targetId: existing.id,
        detail: { changed: Object.keys(input) },
      },
    };
  });
}

/** Sets the order: `ids` holds every stage exactly once. */
export function orderStages(deps: CrmDeps, actor: Actor, ids: string[]): Promise<StageView[]> {
  return commitWrite(deps, actor, async (trx) => {
    await reorderStages(trx, ids);
    return { result: await readStages(trx), audit: { action: 'pipeline_stage.reorder', targetType: 'pipeline' } };
  });
}

/** Deletes a stage no deal is in (409 stage_in_use otherwise). */
export function removeStage(deps: CrmDeps, actor: Actor, id: string): Promise<void> {
  return commitWrite(deps, actor, async (trx) => {
    const existing = await stageIn(trx, id);
    await deleteStage(trx, existing);
    return { result: undefined, audit: { action: 'pipeline_stage.delete', targetType: 'pipeline_stage', targetId: existing.id } };
  });
}
