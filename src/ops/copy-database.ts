import type { Database } from '../db/schema.ts';
import type { Kysely } from 'kysely';
import { OpsError } from './errors.ts';
import {
  finishTarget,
  prepareTarget,
  readTableBatches,
  sequenceValues,
  tableFingerprint,
  tablesInDependencyOrder,
  writeTableBatch,
} from './tables.ts';

export interface TableReport {
  table: string;
  rows: number;
  checksum: string;
}

/** Rows per batch: a few MB of JSON at most for mail rows, and few round trips. */
export const COPY_BATCH_ROWS = 500;

/**
 * Copies every table of `source` into `target` (both at the same migration) in one transaction on each
 * side: the source is read as one REPEATABLE READ snapshot, the target is written all or nothing. Each
 * table's row count and checksum are compared after the copy, inside the target's transaction, so a
 * mismatch leaves the target as it was.
 */
export async function copyDatabase(opts: {
  source: Kysely<Database>;
  target: Kysely<Database>;
  onTable?: (report: TableReport) => void;
}): Promise<TableReport[]> {
  return opts.source
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (src) => {
      const tables = await tablesInDependencyOrder(src);
      const sequences = await sequenceValues(src);
      return opts.target.transaction().execute(async (dst) => {
        await prepareTarget(dst, tables);
        for (const table of tables) {
          for await (const batch of readTableBatches(src, table, COPY_BATCH_ROWS)) await writeTableBatch(dst, table, batch.json);
        }
        // Checked once every table is written, so nothing written after a table (a trigger) goes unseen.
        const reports: TableReport[] = [];
        for (const table of tables) {
          const [from, to] = [await tableFingerprint(src, table.name), await tableFingerprint(dst, table.name)];
          if (from.rows !== to.rows || from.checksum !== to.checksum) {
            throw new CopyMismatchError(table.name, from, to);
          }
          const report = { table: table.name, ...from };
          reports.push(report);
          opts.onTable?.(report);
        }
        await finishTarget(dst, tables, sequences);
        return reports;
      });
    });
}

export class CopyMismatchError extends OpsError {
  constructor(table: string, from: { rows: number; checksum: string }, to: { rows: number; checksum: string }) {
    super(
      'copy_mismatch',
      `table ${table} did not copy faithfully (source ${from.rows} rows, checksum ${from.checksum}; target ${to.rows} rows, checksum ${to.checksum}); nothing was written to the target`,
    );
  }
}
