import type { Database } from '../db/schema.ts';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../db/index.ts';
import { copyDatabase, type TableReport } from './copy-database.ts';
import { OpsError } from './errors.ts';
import { appliedMigrations, isEmptyDatabase } from './tables.ts';

/**
 * Moves an embedded database into an empty PostgreSQL database: both migrated to this version, every
 * table copied in one snapshot and verified (rows and checksum per table). The source is only read.
 */
export async function moveToPostgres(opts: {
  source: Kysely<Database>;
  target: Kysely<Database>;
  onTable?: (report: TableReport) => void;
}): Promise<TableReport[]> {
  if (!(await isEmptyDatabase(opts.target))) {
    throw new OpsError(
      'target_not_empty',
      'The target database already holds Tidings users or mailboxes, or tables that are not Tidings’: give an empty database (createdb tidings).',
    );
  }
  await migrateToLatest(opts.source);
  await migrateToLatest(opts.target);
  const [from, to] = [await appliedMigrations(opts.source), await appliedMigrations(opts.target)];
  if (from.join() !== to.join()) {
    throw new OpsError('migrations_differ', `The two databases are at different migrations (${from.at(-1)} and ${to.at(-1)}).`);
  }
  return copyDatabase(opts);
}
