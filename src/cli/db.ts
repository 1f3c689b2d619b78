import type { Config } from '../app/config.ts';
import { openDatabase, redactUrl } from '../db/index.ts';
import { moveToPostgres } from '../ops/move-to-postgres.ts';
import { CliError } from './cli-error.ts';

/** tidings db move-to-postgres --to postgres://…: the embedded database of the data dir into PostgreSQL. */
export async function runDbMoveToPostgres(config: Config, values: { to?: string; 'with-blobs'?: string }): Promise<number> {
  if (config.databaseUrl)
    throw new CliError('DATABASE_URL is set: this Tidings already runs on PostgreSQL. Unset it to move the embedded database.');
  const to = values.to;
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    throw new CliError('--to: give the PostgreSQL database to move into, e.g. --to postgres://tidings@db:5432/tidings');
  if (values['with-blobs']) {
    throw new CliError(
      '--with-blobs: this version keeps blobs in the data dir (TIDINGS_DATA_DIR/blobs); move without it and keep the data dir, then move the blobs with "tidings blobs move" if you want them in a bucket (docs/blob-storage.md).',
    );
  }
  // The embedded database admits one process: a running server makes this fail with a message naming it.
  const source = await openDatabase({ databaseUrl: null, dataDir: config.dataDir });
  try {
    const target = await openDatabase({ databaseUrl: to, dataDir: config.dataDir });
    try {
      console.log(`Moving the embedded database in ${config.dataDir} to ${redactUrl(to)}…`);
      const reports = await moveToPostgres({
        source: source.db,
        target: target.db,
        onTable: (r) => console.log(`  ${r.table}: ${r.rows} row(s), checksum ${r.checksum.slice(0, 12)} verified`),
      });
      const rows = reports.reduce((n, r) => n + r.rows, 0);
      console.log(`Moved ${reports.length} tables, ${rows} rows; every table's count and checksum match.`);
      console.log('Next:');
      console.log(
        `  1. Start Tidings with DATABASE_URL=${redactUrl(to)} (and the same TIDINGS_DATA_DIR: mail blobs and master.key stay there).`,
      );
      console.log(
        `  2. Once it runs well, the embedded database (${config.dataDir}/pglite) can be archived or removed; it was not changed.`,
      );
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
