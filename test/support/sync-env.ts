import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../../src/api/context.ts';
import type { Config } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import type { DatabaseKind } from '../../src/db/index.ts';
import { createIngestPool, type IngestPool } from '../../src/ingest/index.ts';
import type { Backfill, Visibility } from '../../src/mailboxes/tables.ts';
import { createSyncSupervisor, type SupervisorOptions, type SyncSupervisor } from '../../src/sync/index.ts';
import { startDovecot, type DovecotInstance } from '../harness/index.ts';
import { type Client, createTestApp, setupAdmin } from './app.ts';
import type { TestDatabase } from './database.ts';
import { insertServerMailbox } from './rows.ts';

export interface SyncEnv {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  services: AppServices;
  dovecot: DovecotInstance;
  pool: IngestPool;
  admin: Client;
  adminId: string;
  /** A supervisor with test-short intervals, sharing the app's blobs, events and connectors. */
  supervisor(opts?: Partial<SupervisorOptions>): SyncSupervisor;
  bindMailbox(
    email: string,
    password: string,
    extra?: { backfill?: Backfill; visibility?: Visibility; ownerUserId?: string; syncFolders?: string[] },
  ): Promise<string>;
  close(): Promise<void>;
}

/** The shared test app (sync off: tests run their own supervisors) on a fresh database, plus a private Dovecot. */
export async function startSyncEnv(
  kind: DatabaseKind,
  opts: { dovecot?: DovecotInstance; config?: Partial<Config> } = {},
): Promise<SyncEnv> {
  const t = await createTestApp(kind, opts.config);
  const { app, db, config, services } = t;
  // The app's own log is kept in memory by the helper; the supervisors report warnings to the console.
  const log = createLogger('warn');
  let dovecot: DovecotInstance;
  try {
    dovecot = opts.dovecot ?? (await startDovecot());
  } catch (err) {
    await t.close();
    throw err;
  }
  // As the server does: on disk the workers append blobs to the app's store and the engine indexes
  // them; with an object store (config.blobTarget) they hand the bytes back for the engine to upload.
  const blobDir = config.blobTarget.kind === 'disk' ? { blobDir: path.join(config.dataDir, 'blobs') } : {};
  const pool = createIngestPool({ size: 2, ...blobDir });
  const admin = await setupAdmin(app);
  const adminId = (await db.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const supervisors: SyncSupervisor[] = [];
  return {
    app,
    db,
    config,
    services,
    dovecot,
    pool,
    admin,
    adminId,
    supervisor(over = {}) {
      const s = createSyncSupervisor({
        db: db.db,
        log,
        events: services.events,
        pool,
        blobs: services.blobs,
        connectorFor: services.connectorFor,
        discoverMs: 300,
        renewMs: 1_000,
        leaseTtlMs: 3_000,
        pollMs: 1_000,
        debounceMs: 50,
        backoff: { baseMs: 200, maxMs: 2_000, healthyAfterMs: 5_000 },
        ...over,
      });
      supervisors.push(s);
      // The API's "Sync now" and status go to the most recent one.
      services.sync = s;
      return s;
    },
    async bindMailbox(email, password, extra = {}) {
      await dovecot.addUser(email, password);
      return insertServerMailbox(db.db, services.vault, dovecot, {
        ownerUserId: extra.ownerUserId ?? adminId,
        createdBy: adminId,
        email,
        password,
        backfill: extra.backfill,
        visibility: extra.visibility,
        syncFolders: extra.syncFolders,
      });
    },
    async close() {
      for (const s of supervisors) await s.stop().catch(() => undefined);
      await pool.close();
      await t.close();
      if (!opts.dovecot) await dovecot.stop();
    },
  };
}

export async function countMessages(env: SyncEnv, mailboxId: string): Promise<number> {
  const r = await env.db.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
