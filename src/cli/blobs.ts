import type { Config } from '../app/config.ts';
import { blobRootIn } from '../ingest/index.ts';
import { compactPacks } from '../store/pack-compaction.ts';
import { withDatabase } from './with-database.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * One compaction run now, as the server runs one every 6 hours: for an admin who deleted a large
 * mailbox and wants the space back without waiting. Safe beside a server on the same PostgreSQL
 * database (compaction takes the same locks there).
 */
export async function runBlobsCompact(config: Config): Promise<number> {
  return withDatabase(config, async (db) => {
    const r = await compactPacks({ db, root: blobRootIn(config.dataDir) });
    console.log(`Checked ${r.packsChecked} pack(s) old enough to compact (packs younger than 2 hours are left alone).`);
    console.log(
      `Rewrote ${r.packsRewritten} pack(s): ${r.recordsMoved} blob(s) still in use copied, ${r.recordsDropped} no longer in use dropped.`,
    );
    if (r.packsSkipped) console.log(`Left ${r.packsSkipped} pack(s) for the next run: a message named one of their blobs meanwhile.`);
    console.log(`Deleted ${r.packsRemoved} pack file(s) rewritten more than a day ago: ${mb(r.bytesRemoved)} given back.`);
    if (r.packsRewritten)
      console.log(
        'The files of the packs rewritten now are deleted by a run a day from now, so a backup taken before this run stays whole (docs/operations.md, "Disk space").',
      );
    return 0;
  });
}
