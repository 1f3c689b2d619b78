import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { CrmEvent } from '../events.ts';

/** Rows shown back in an import's preview. */
export const PREVIEW_ROWS = 20;

/** What every CSV import reports, whatever its record type. */
export interface AllOrNothingResult<Row> {
  preview: Array<Row & { action: 'create' | 'update' | 'error' }>;
  errors: Array<{ row: number }>;
  /** True only when the rows were written (no errors, not a dry run). */
  imported: boolean;
  events: CrmEvent[];
}

class RollBack extends Error {}

/**
 * Runs `importRow` for every row in one transaction and rolls it back when any row has an error or on a
 * dry run, so the counts and the preview are exactly what a real run does and nothing is half-imported.
 * Rows the parser already rejected are previewed as errors and not run. `finish` (the audit record) runs
 * only when the rows are kept.
 */
export async function importAllOrNothing<Row extends { row: number }>(
  db: Kysely<Database>,
  rows: Row[],
  result: AllOrNothingResult<Row>,
  opts: { dryRun: boolean },
  steps: {
    /** Runs first in the transaction (look-ups the rows share). */
    start?: (trx: Transaction<Database>) => Promise<void>;
    importRow: (trx: Transaction<Database>, row: Row) => Promise<'create' | 'update' | null>;
    finish: (trx: Transaction<Database>) => Promise<void>;
  },
): Promise<void> {
  const badRows = new Set(result.errors.map((e) => e.row));
  try {
    await db.transaction().execute(async (trx) => {
      await steps.start?.(trx);
      for (const row of rows) {
        const action = badRows.has(row.row) ? null : await steps.importRow(trx, row);
        if (result.preview.length < PREVIEW_ROWS) result.preview.push({ ...row, action: action ?? 'error' });
      }
      if (result.errors.length || opts.dryRun) throw new RollBack();
      await steps.finish(trx);
    });
    result.imported = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    result.events = [];
  }
  result.errors.sort((a, b) => a.row - b.row);
}
