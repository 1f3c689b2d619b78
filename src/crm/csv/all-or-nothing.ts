import type { Kysely, Transaction } from 'kysely';
import { type Actor, type AuditLine, recordAuditBy } from '../../audit/index.ts';
import type { User } from '../../auth/tables.ts';
import type { Database } from '../../db/schema.ts';
import type { CrmEvent } from '../events.ts';
import type { ParsedCsv } from './csv-rows.ts';

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

/** An import's report before any row ran: the parser's errors, nothing created or updated yet. */
export function emptyImportResult<Row, C extends string>(parsed: ParsedCsv<Row, C>) {
  return {
    preview: [] as Array<Row & { action: 'create' | 'update' | 'error' }>,
    errors: [...parsed.errors],
    created: 0,
    updated: 0,
    ignoredColumns: parsed.ignoredColumns,
    encoding: parsed.encoding,
    imported: false,
    events: [] as CrmEvent[],
  };
}

/** What one row did: created or updated a record, or nothing (its errors are in the result). */
export type RowAction = 'create' | 'update' | null;

/** What an importer's row function works with: the import's transaction, who imports, and the report so far. */
export interface ImportRun<Result> {
  trx: Transaction<Database>;
  user: User;
  result: Result;
}

class RollBack extends Error {}

/**
 * Runs `importRow` for every row in one transaction and rolls it back when any row has an error or on a
 * dry run, so the counts and the preview are exactly what a real run does and nothing is half-imported.
 * Rows the parser already rejected are previewed as errors and not run. The audit line (by `actor`) is
 * written only when the rows are kept.
 */
export async function importAllOrNothing<Row extends { row: number }>(
  db: Kysely<Database>,
  actor: Actor,
  rows: Row[],
  result: AllOrNothingResult<Row>,
  dryRun: boolean,
  steps: {
    /** Runs first in the transaction (look-ups the rows share). */
    start?: (trx: Transaction<Database>) => Promise<void>;
    importRow: (trx: Transaction<Database>, row: Row) => Promise<RowAction>;
    /** The audit line of the rows kept (asked for after the last row, so it can count them). */
    audit: () => AuditLine;
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
      if (result.errors.length || dryRun) throw new RollBack();
      await recordAuditBy(trx, actor, steps.audit());
    });
    result.imported = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    result.events = [];
  }
  result.errors.sort((a, b) => a.row - b.row);
}
