import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import type { PipelineStage, StageKind, StageName } from '../tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function listStages(db: Db): Promise<PipelineStage[]> {
  return db.selectFrom('pipeline_stages').selectAll().orderBy('position').orderBy('id').execute();
}

export function findStage(db: Db, id: string): Promise<PipelineStage | undefined> {
  return db.selectFrom('pipeline_stages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The first open stage: where a deal starts when none is given. */
export async function firstOpenStage(db: Db): Promise<PipelineStage> {
  const stage = await db
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('kind', '=', 'open')
    .orderBy('position')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!stage) throw new CrmError('no_open_stage', 'The pipeline has no open stage; an admin must add one first.');
  return stage;
}

async function dealCount(db: Db, stageId: string): Promise<number> {
  const row = await db
    .selectFrom('deals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stage_id', '=', stageId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A new stage goes to `position` (1-based) or last; the others shift to keep positions 1..n. */
export async function insertStage(
  trx: Transaction<Database>,
  input: { name: StageName; kind: StageKind; position?: number },
): Promise<string> {
  const stages = await listStages(trx);
  const at = Math.min(Math.max(input.position ?? stages.length + 1, 1), stages.length + 1);
  const { id } = await trx
    .insertInto('pipeline_stages')
    .values({ name: JSON.stringify(input.name), kind: input.kind, position: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await renumber(trx, [...stages.slice(0, at - 1).map((s) => s.id), id, ...stages.slice(at - 1).map((s) => s.id)]);
  return id;
}

export async function updateStage(
  trx: Transaction<Database>,
  stage: PipelineStage,
  patch: { name?: StageName; kind?: StageKind },
): Promise<void> {
  // Deals take their status from their stage: changing the kind under them would make them lie.
  if (patch.kind !== undefined && patch.kind !== stage.kind && (await dealCount(trx, stage.id)) > 0) {
    throw new CrmError('stage_in_use', 'Deals are in this stage; move them before changing whether it is open, won or lost.');
  }
  await trx
    .updateTable('pipeline_stages')
    .set({
      ...(patch.name !== undefined && { name: JSON.stringify({ ...stage.name, ...patch.name }) }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', stage.id)
    .execute();
}

/** `ids` must be every stage exactly once, in the new order. */
export async function reorderStages(trx: Transaction<Database>, ids: string[]): Promise<void> {
  const stages = await listStages(trx);
  const known = new Set(stages.map((s) => s.id));
  if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) {
    throw new CrmError('invalid_order', 'List every stage exactly once.');
  }
  await renumber(trx, ids);
}

export async function deleteStage(trx: Transaction<Database>, stage: PipelineStage): Promise<void> {
  if ((await dealCount(trx, stage.id)) > 0)
    throw new CrmError('stage_in_use', 'Deals are in this stage; move them to another stage first.');
  await trx.deleteFrom('pipeline_stages').where('id', '=', stage.id).execute();
  await renumber(
    trx,
    (await listStages(trx)).map((s) => s.id),
  );
}

async function renumber(trx: Transaction<Database>, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await trx
      .updateTable('pipeline_stages')
      .set({ position: i + 1 })
      .where('id', '=', id)
      .execute();
  }
}
