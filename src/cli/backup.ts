import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../app/config.ts';
import { openDatabase } from '../db/index.ts';
import { blobRootIn } from '../ingest/index.ts';
import { writeBackup } from '../ops/backup.ts';
import { restoreBackup } from '../ops/restore.ts';
import { masterKeyCheck } from '../ops/master-key-check.ts';
import { CliError } from './cli-error.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** tidings backup --to FILE: the configured database and the data dir's blob store, never the master key. */
export async function runBackup(config: Config, values: { to?: string }): Promise<number> {
  if (!values.to) throw new CliError('--to: give the file to write, e.g. --to /backups/tidings-2026-12-07.tdb');
  const file = path.resolve(values.to);
  if (
    await fs.stat(file).then(
      () => true,
      () => false,
    )
  )
    throw new CliError(`--to: ${file} exists; give a new file name.`);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const s = await writeBackup({ db: db.db, blobRoot: blobRootIn(config.dataDir), file });
    console.log(`Wrote ${file}: ${s.tables} tables, ${s.rows} rows, ${s.files} blob file(s) (${mb(s.fileBytes)}).`);
    console.log(
      'The master key is not in the backup. Keep it apart from the backups: master.key in the data dir, or TIDINGS_MASTER_KEY. Without it the stored mailbox passwords and tokens cannot be read.',
    );
    return 0;
  } finally {
    await db.close();
  }
}

/** tidings restore --from FILE: into the configured database (empty) and data dir (no blobs yet). */
export async function runRestore(config: Config, values: { from?: string }): Promise<number> {
  if (!values.from) throw new CliError('--from: give the backup file to restore.');
  const file = path.resolve(values.from);
  if (
    !(await fs.stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new CliError(`--from: ${file} is not a file.`);
  await fs.mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const s = await restoreBackup({ db: db.db, blobRoot: blobRootIn(config.dataDir), file });
    console.log(
      `Restored ${s.tables} tables, ${s.rows} rows and ${s.files} blob file(s) (${mb(s.fileBytes)}); every count, checksum and hash matches.`,
    );
    const key = await masterKeyCheck(db.db, config);
    console.log(key.message);
    return key.ok ? 0 : 2;
  } finally {
    await db.close();
  }
}
