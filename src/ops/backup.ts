import type { Database } from '../db/schema.ts';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { BACKUP_FORMAT, BACKUP_VERSION, BackupWriter } from './backup-file.ts';
import { COPY_BATCH_ROWS } from './copy-database.ts';
import { appliedMigrations, readTableBatches, sequenceValues, tableFingerprint, tablesInDependencyOrder } from './tables.ts';

export interface BackupSummary {
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
}

/**
 * Writes a consistent backup: every table from one REPEATABLE READ snapshot, then the blob store's
 * files at their size while that snapshot is open (blobs are written before the rows naming them, and
 * packs are removed only a day after compaction rewrote them, so every blob the snapshot names is
 * there). The master key is never written: the backup's secrets stay encrypted under it.
 */
export async function writeBackup(opts: { db: Kysely<Database>; blobRoot: string; file: string }): Promise<BackupSummary> {
  const out = new BackupWriter(opts.file);
  const summary: BackupSummary = { tables: 0, rows: 0, files: 0, fileBytes: 0 };
  try {
    await opts.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const tables = await tablesInDependencyOrder(trx);
        await out.record({
          kind: 'header',
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: new Date().toISOString(),
          migrations: await appliedMigrations(trx),
          tables: tables.map((t) => t.name),
        });
        for (const table of tables) {
          for await (const batch of readTableBatches(trx, table, COPY_BATCH_ROWS)) {
            await out.record({ kind: 'rows', table: table.name, rows: batch.rows }, batch.json);
          }
          const check = await tableFingerprint(trx, table.name);
          await out.record({ kind: 'table-end', table: table.name, ...check });
          summary.tables++;
          summary.rows += check.rows;
        }
        await out.record({ kind: 'sequences', values: await sequenceValues(trx) });
        for (const rel of await listFiles(opts.blobRoot)) {
          const full = path.join(opts.blobRoot, rel);
          const size = await fs.stat(full).then(
            (s) => s.size,
            () => null,
          );
          if (size === null) continue; // removed since listed: compaction's, named by no row of the snapshot
          const sha256 = await out.file({ kind: 'file', path: rel }, full, size);
          await out.record({ kind: 'file-end', path: rel, sha256 });
          summary.files++;
          summary.fileBytes += size;
        }
        await out.record({ kind: 'end', tables: summary.tables, files: summary.files });
      });
    await out.close();
    return summary;
  } catch (error) {
    await out.close().catch(() => undefined);
    await fs.rm(opts.file, { force: true });
    throw error;
  }
}

/** Every file under `root`, relative, in a stable order; none when the folder does not exist. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}
