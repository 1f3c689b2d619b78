import { type Kysely, sql } from 'kysely';
import type { StageKind, StageName } from '../crm/tables.ts';
import type { Database } from '../db/schema.ts';

export interface StageTotals {
  stageId: string;
  name: StageName;
  kind: StageKind;
  count: number;
  /** Per currency (amounts in different currencies are never added), decimal strings. */
  amounts: Array<{ currency: string; amount: string }>;
}

/** Every pipeline stage in order with its deals' count and amount; `ownerId` narrows to one owner's deals. */
export async function dealsByStage(db: Kysely<Database>, ownerId: string | null): Promise<StageTotals[]> {
  const stages = await db.selectFrom('pipeline_stages').select(['id', 'name', 'kind']).orderBy('position').execute();
  let q = db
    .selectFrom('deals as d')
    .select(['d.stage_id', 'd.currency', sql<string>`count(*)::text`.as('count'), sql<string>`sum(d.amount)::text`.as('amount')])
    .groupBy(['d.stage_id', 'd.currency'])
    .orderBy('d.currency');
  if (ownerId) q = q.where('d.owner_user_id', '=', ownerId);
  const sums = await q.execute();
  return stages.map((s) => {
    const mine = sums.filter((r) => r.stage_id === s.id);
    return {
      stageId: s.id,
      name: s.name,
      kind: s.kind,
      count: mine.reduce((n, r) => n + Number(r.count), 0),
      amounts: mine.map((r) => ({ currency: r.currency, amount: r.amount })),
    };
  });
}
