import type { Database } from '../db/schema.ts';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { listMigrations, migrateTo } from '../db/index.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, BackupReader, type RecordMeta } from './backup-file.ts';
import { listFiles, type BackupSummary } from './backup.ts';
import { OpsError } from './errors.ts';
import { finishTarget, isEmptyDatabase, prepareTarget, tableFingerprint, tablesInDependencyOrder, writeTableBatch } from './tables.ts';

const invalid = (why: string) => new OpsError('backup_invalid', `The backup file cannot be restored: ${why}.`);

/**
 * Restores a backup into an empty database and an empty blob folder: the database is brought to the
 * backup's migration, its rows written in one transaction and checked table by table (rows and
 * checksum) before it commits; blob files are checked by SHA-256 and put in place once all are whole.
 * Later migrations run at the next start, as after any upgrade.
 */
export async function restoreBackup(opts: { db: Kysely<Database>; blobRoot: string; file: string }): Promise<BackupSummary> {
  if (!(await isEmptyDatabase(opts.db))) {
    throw new OpsError('target_not_empty', 'The database already holds Tidings users or mailboxes: restore into an empty one.');
  }
  if ((await listFiles(opts.blobRoot)).length) {
    throw new OpsError('target_not_empty', `The blob folder ${opts.blobRoot} is not empty: restore into an empty data dir.`);
  }
  const reader = new BackupReader(opts.file);
  const header = await reader.next();
  if (header?.kind !== 'header' || header.format !== BACKUP_FORMAT) throw invalid('it is not a Tidings backup');
  if (header.version !== BACKUP_VERSION)
    throw invalid(`it is format version ${String(header.version)}; this Tidings reads ${BACKUP_VERSION}`);
  const migrations = header.migrations as string[];
  const known = (await listMigrations(opts.db)).map((m) => m.name);
  const unknown = migrations.filter((m) => !known.includes(m));
  if (unknown.length) throw invalid(`it was written by a newer Tidings (migration ${unknown[0]}); upgrade this one first`);
  if (migrations.length) await migrateTo(opts.db, migrations.at(-1)!);

  const summary: BackupSummary = { tables: 0, rows: 0, files: 0, fileBytes: 0 };
  // One transaction for the rows and the files: a damaged file leaves the database as empty as it was.
  await opts.db.transaction().execute(async (trx) => {
    const tables = await tablesInDependencyOrder(trx);
    const byName = new Map(tables.map((t) => [t.name, t]));
    await prepareTarget(trx, tables);
    const written: Array<{ table: string; rows: number; checksum: string }> = [];
    for (;;) {
      const meta = await reader.next();
      if (!meta) throw invalid('it ends before its last table');
      if (meta.kind === 'rows') {
        const table = byName.get(String(meta.table));
        if (!table) throw invalid(`it holds a table this schema lacks (${String(meta.table)})`);
        await writeTableBatch(trx, table, (await reader.body(meta)).toString('utf8'));
      } else if (meta.kind === 'table-end') {
        written.push({ table: String(meta.table), rows: Number(meta.rows), checksum: String(meta.checksum) });
      } else if (meta.kind === 'sequences') {
        // Checked once every table is written, so nothing written after a table (a trigger) goes unseen.
        for (const want of written) {
          const got = await tableFingerprint(trx, want.table);
          if (got.rows !== want.rows || got.checksum !== want.checksum) {
            throw new OpsError(
              'copy_mismatch',
              `table ${want.table} restored ${got.rows} of ${want.rows} rows or with another checksum; nothing was kept`,
            );
          }
          summary.tables++;
          summary.rows += got.rows;
        }
        await finishTarget(trx, tables, meta.values as Array<{ name: string; value: number | null }>);
        break;
      } else {
        throw invalid(`an unexpected ${meta.kind} record among the tables`);
      }
    }
    await restoreFiles(reader, opts.blobRoot, summary);
  });
  return summary;
}

async function restoreFiles(reader: BackupReader, blobRoot: string, summary: BackupSummary): Promise<void> {
  // The files go to a folder beside the blob root, renamed into place only when every one is whole.
  const staging = `${blobRoot}.restoring`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true, mode: 0o700 });
  let meta: RecordMeta | null = await reader.next();
  for (; meta?.kind === 'file'; meta = await reader.next()) {
    const rel = String(meta.path);
    const dest = path.resolve(staging, rel);
    if (!dest.startsWith(`${staging}${path.sep}`)) throw invalid(`a file path leaves the blob folder (${rel})`);
    await fs.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
    const hash = createHash('sha256');
    const handle = await fs.open(dest, 'wx', 0o600);
    try {
      for await (const chunk of reader.bodyChunks(meta)) {
        hash.update(chunk);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    const end = await reader.next();
    if (end?.kind !== 'file-end' || end.sha256 !== hash.digest('hex')) throw invalid(`${rel} does not match its hash`);
    summary.files++;
    summary.fileBytes += meta.bytes ?? 0;
  }
  if (meta?.kind !== 'end' || meta.files !== summary.files || meta.tables !== summary.tables) throw invalid('it is incomplete');
  await fs.rm(blobRoot, { recursive: true, force: true });
  await fs.rename(staging, blobRoot);
}
