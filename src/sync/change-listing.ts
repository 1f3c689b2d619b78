import type { Kysely } from 'kysely';
import type { ChangesOptions, FolderChanges, MailConnector, RemoteMessageRef } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import { messageIds } from '../ingest/index.ts';
import { waitingRetryIds } from '../store/fetch-retries.ts';
import { folderHoldsMessages, heldMessageIdsBefore, storedRemoteIds } from '../store/folders.ts';
import type { FolderRow } from '../store/tables.ts';

const DAY_MS = 86_400_000;

export interface ChangeListingDeps {
  db: Kysely<Database>;
  connector: MailConnector;
  /** false when the mailbox has nothing in mail_fetch_retries: spares the lookup. */
  retriesWaiting?: boolean;
}

/** The folder's backfill window: a date fixed at binding (null: everything), and whether it was widened. */
export interface ListingWindow {
  from: Date | null;
  widen: boolean;
}

/**
 * Asks the connector what changed in a folder since its stored cursor. The connector gets plain values
 * and gives refs back; what needs the engine's own rows happens here: the remote ids it holds, given
 * only when the connector asks for them (they cost O(folder) to load), and the Message-IDs it holds,
 * matched against the messages a windowed full listing found before the window.
 */
export async function listFolderChanges(deps: ChangeListingDeps, folder: FolderRow, window: ListingWindow): Promise<FolderChanges> {
  const { db, connector } = deps;
  const opts: ChangesOptions = {
    since: window.from,
    ...(window.widen ? { widenTo: window.from } : {}),
    // A first import (nothing stored, not even from a crashed earlier try) can skip listing flags and
    // dates: a stored message's flags would be overwritten by the bare listing's, so only then.
    holdsNothing: folder.cursor === null && !(await folderHoldsMessages(db, folder.id)),
    knownRemoteIds: 'on request',
  };
  let changes = await connector.changesSince(folder.remote_id, folder.cursor, opts);
  if (changes.needsKnownRemoteIds) {
    const known = await knownRemoteIds(deps, folder.id, folder.generation ?? '');
    changes = await connector.changesSince(folder.remote_id, folder.cursor, { ...opts, knownRemoteIds: known });
  }
  if (changes.beforeWindow?.length && window.from) {
    // Its Date header can lag the receive date, hence two days' margin.
    const held = await heldMessageIdsBefore(db, folder.id, new Date(window.from.getTime() + 2 * DAY_MS));
    changes = { ...changes, added: [...changes.added, ...heldAmong(changes.beforeWindow, held, changes.added)] };
  }
  return changes;
}

/**
 * Servers without QRESYNC tell removals by comparing these with what they hold. Messages waiting for
 * another fetch try are listed too: one expunged or moved away meanwhile then comes back as removed
 * (and its retry row goes), instead of being tried again for ever.
 */
async function knownRemoteIds(deps: ChangeListingDeps, folderId: string, generation: string): Promise<string[]> {
  const stored = [...(await storedRemoteIds(deps.db, folderId, generation))];
  return deps.retriesWaiting === false ? stored : [...stored, ...(await waitingRetryIds(deps.db, folderId, generation))];
}

/**
 * The refs whose Message-ID is among `held` (mail moved into the folder after binding keeps its old
 * receive date: a rebuild's listing from the window would miss it and drop it), except those already
 * in `listed`.
 */
function heldAmong(refs: readonly RemoteMessageRef[], held: readonly string[], listed: readonly RemoteMessageRef[]): RemoteMessageRef[] {
  if (!held.length) return [];
  const wanted = new Set(held.map((id) => id.toLowerCase()));
  const already = new Set(listed.map((r) => r.remoteId));
  return refs.filter((ref) => {
    const id = messageIds(ref.messageId ?? null)[0];
    return id !== undefined && wanted.has(id.toLowerCase()) && !already.has(ref.remoteId);
  });
}
