import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { explainCode, type FailureExplanation } from '../mailboxes/probe/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { SyncStatus } from './status.ts';
import { recentSyncErrors } from './sync-errors.ts';
import { mailboxSyncStatus, type SyncSupervisor } from './supervisor.ts';

export type FolderSyncState = 'importing' | 'synced' | 'failed' | 'waiting';

export interface ExplainedFailure extends FailureExplanation {
  at: string;
  folder: string | null;
}

export interface SyncReport extends Omit<SyncStatus, 'lastFailure'> {
  lastFailure: ExplainedFailure | null;
  folders: Array<{
    id: string;
    name: string;
    role: string | null;
    state: FolderSyncState;
    synced: number;
    total: number;
    lastSyncedAt: string | null;
    lastError: string | null;
    /** Where the next round starts: IMAP's UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ; `saved` for Graph's and EWS's opaque states. */
    cursor: Record<string, string | number | boolean> | null;
  }>;
  recentErrors: ExplainedFailure[];
  /** Messages the server listed but did not return, kept to be tried again (the oldest first). */
  retries: Array<{ folder: string; remoteId: string; tries: number; firstFailedAt: string; nextTryAt: string }>;
}

/** How many of the retry list one report shows; `waitingForRetry` counts them all. */
const RETRIES_SHOWN = 50;
const IMAP_CURSOR_KEYS = ['uidValidity', 'uidNext', 'highestModseq'] as const;

function cursorSummary(cursor: Record<string, unknown> | null): Record<string, string | number | boolean> | null {
  if (!cursor) return null;
  const out: Record<string, string | number | boolean> = {};
  for (const key of IMAP_CURSOR_KEYS) {
    const v = cursor[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = v;
  }
  // A delta link or a sync state may hold a server's token: only say that there is one.
  return Object.keys(out).length ? out : { saved: true };
}

type ServerOf = Pick<MailboxRow, 'provider_id' | 'imap_host' | 'imap_port' | 'protocol'>;

function explain(
  server: ServerOf,
  code: string,
  params: Record<string, string | number>,
  at: string,
  folder: string | null,
): ExplainedFailure {
  const all = { protocol: server.protocol, host: server.imap_host, port: server.imap_port, ...params };
  return { ...explainCode(code, all, server.provider_id), at, folder };
}

/**
 * Everything the mailbox page shows about a mailbox's sync: the live status (from the runner when this
 * process syncs it), each selected folder's state and cursor, the recent errors and the retry list, with
 * every failure explained in both languages by the one catalogue.
 */
export async function syncReport(sync: SyncSupervisor | null | undefined, db: Kysely<Database>, mailboxId: string): Promise<SyncReport> {
  const [status, server, folders, errors, retries] = await Promise.all([
    mailboxSyncStatus(sync, db, mailboxId),
    db
      .selectFrom('mailboxes')
      .select(['provider_id', 'imap_host', 'imap_port', 'protocol'])
      .where('id', '=', mailboxId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('mail_folders')
      .select(['id', 'name', 'role', 'synced', 'total', 'last_synced_at', 'last_error', 'cursor'])
      .where('mailbox_id', '=', mailboxId)
      .where('selected', '=', true)
      .where('removed_at', 'is', null)
      .orderBy('name')
      .execute(),
    recentSyncErrors(db, mailboxId),
    db
      .selectFrom('mail_fetch_retries as r')
      .innerJoin('mail_folders as f', 'f.id', 'r.folder_id')
      .select(['f.name', 'r.remote_id', 'r.tries', 'r.first_failed_at', 'r.next_try_at'])
      .where('r.mailbox_id', '=', mailboxId)
      .orderBy('r.first_failed_at')
      .limit(RETRIES_SHOWN)
      .execute(),
  ]);
  const live = new Map(status.progress.map((p) => [p.folderId, p]));
  const importing = status.state === 'importing' || status.state === 'syncing';
  const { lastFailure, ...rest } = status;
  return {
    ...rest,
    lastFailure: lastFailure
      ? explain(server, lastFailure.code, lastFailure.params, lastFailure.at, (lastFailure.params.folder as string) ?? null)
      : null,
    folders: folders.map((f) => {
      const p = live.get(f.id);
      const synced = p?.done ?? f.synced;
      const total = p?.total ?? f.total;
      const state: FolderSyncState = f.last_error
        ? 'failed'
        : importing && p && p.done < p.total
          ? 'importing'
          : f.last_synced_at
            ? 'synced'
            : 'waiting';
      return {
        id: f.id,
        name: f.name,
        role: f.role,
        state,
        synced,
        total,
        lastSyncedAt: f.last_synced_at ? new Date(f.last_synced_at).toISOString() : null,
        lastError: f.last_error,
        cursor: cursorSummary(f.cursor),
      };
    }),
    recentErrors: errors.map((e) => explain(server, e.code, e.params, new Date(e.at).toISOString(), e.folder_name)),
    retries: retries.map((r) => ({
      folder: r.name,
      remoteId: r.remote_id,
      tries: r.tries,
      firstFailedAt: new Date(r.first_failed_at).toISOString(),
      nextTryAt: new Date(r.next_try_at).toISOString(),
    })),
  };
}
