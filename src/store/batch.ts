import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { AttachmentsTable } from './tables.ts';
import type { FolderCursor, RemoteMessageRef } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import { sortDate, type Address, type BlobLocation, type ParsedMessage } from '../ingest/index.ts';
import { insertBlobLocations, lockBlobReferences } from './blob-index.ts';
import { clearRetries, clearStoredRetries, keepOnlyRetries, outsideListing, postponeRetries, scheduleRetries } from './fetch-retries.ts';
import { assignThreads } from './threads.ts';
import { messagesImported } from '../metrics/counters.ts';

export interface IncomingMessage {
  ref: RemoteMessageRef;
  parsed: ParsedMessage;
  /** Blobs a parse worker appended to a pack: indexed in the batch's transaction. */
  blobLocations?: BlobLocation[];
  /** Logged through a drop box by this user (src/dropbox/). */
  loggedBy?: string;
}

export interface BatchInput {
  mailboxId: string;
  folderId: string;
  /** The cursor generation (UIDVALIDITY) the remote ids belong to. */
  generation: string;
  /** Fetched and parsed; their blobs are already in the blob store. */
  incoming?: IncomingMessage[];
  /** Refs matched to a stored message without fetching (same server stable id). */
  linked?: Array<{ ref: RemoteMessageRef; messageId: string }>;
  /** Refs already stored in this folder: only their flags may have changed. */
  flagUpdates?: RemoteMessageRef[];
  /** Remote ids that left this folder. */
  removed?: string[];
  /** Full listing finished: every membership of this folder not in this list (or of another generation) goes. */
  keepOnly?: string[];
  progress?: { synced: number; total: number };
  /** Saved only with the batch that completes the change set it came with. */
  cursor?: FolderCursor;
  /** With the cursor: the oldest internal date the round's listing covered (mail_folders.listed_from). */
  listedFrom?: Date;
  /**
   * Listed messages the cursor moves past without their message (the server would not return them):
   * kept in mail_fetch_retries to be tried again from `at`, and noted in the folder's last_error.
   */
  retryLater?: { refs: RemoteMessageRef[]; at: Date };
  /** Messages tried again from mail_fetch_retries and still not returned: their next try. */
  retryMissed?: Array<{ remoteId: string; at: Date }>;
  /**
   * With the cursor: drop mail_fetch_retries rows whose message is now stored. Asked for only while the
   * mailbox has such rows, so the round that stores new mail does not pay a statement for nothing.
   */
  clearStoredRetries?: boolean;
}

export interface BatchResult {
  created: string[];
  updated: string[];
  deleted: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

export function participantsOf(p: ParsedMessage): string[] {
  const all: Address[] = [...p.from, ...p.to, ...p.cc, ...p.bcc, ...p.replyTo];
  return [...new Set(all.map((a) => a.address.trim().toLowerCase()).filter(Boolean))];
}

const flagsOf = (ref: RemoteMessageRef) => ({
  seen: ref.flags.includes('seen'),
  flagged: ref.flags.includes('flagged'),
  answered: ref.flags.includes('answered'),
  draft: ref.flags.includes('draft'),
});

const addr = (list: Address[]) => JSON.stringify(list.map((a) => ({ name: a.name, address: a.address })));

/** The messages row for a parsed message (`ref`: how the folder lists it; flags, server ids, labels). */
export function messageRowValues(mailboxId: string, m: IncomingMessage, participants: string[], threadId: string) {
  const p = m.parsed;
  return {
    mailbox_id: mailboxId,
    stable_id: m.ref.stableId,
    gmail_thread_id: m.ref.threadId,
    message_id_header: p.messageId,
    in_reply_to: p.inReplyTo,
    references: p.references,
    subject: p.subject,
    date: sortDate(p.date, m.ref.internalDate),
    header_date: p.date,
    received_at: m.ref.internalDate,
    ...parsedColumns(p),
    participants,
    ...flagsOf(m.ref),
    thread_id: threadId,
    labels: m.ref.labels ?? [],
    logged_by_user_id: m.loggedBy ?? null,
  };
}

/** The attachments rows of a stored message, in the order its source lists them. */
export function attachmentRowValues(messageId: string, p: ParsedMessage): Insertable<AttachmentsTable>[] {
  return p.attachments.map((a, position) => ({
    message_id: messageId,
    position,
    filename: a.filename,
    content_type: a.contentType,
    size: a.size,
    content_id: a.contentId,
    inline: a.inline,
    sha256: a.sha256,
  }));
}

/** Inserts attachments rows; a message whose rows are stored already keeps them. */
export async function insertAttachmentRows(trx: Transaction<Database>, rows: Insertable<AttachmentsTable>[]): Promise<void> {
  if (!rows.length) return;
  await trx
    .insertInto('attachments')
    .values(rows)
    .onConflict((oc) => oc.columns(['message_id', 'position']).doNothing())
    .execute();
}

/** The columns that come from the source alone (what adoption replaces). */
function parsedColumns(p: ParsedMessage) {
  return {
    from: addr(p.from),
    to: addr(p.to),
    cc: addr(p.cc),
    bcc: addr(p.bcc),
    reply_to: addr(p.replyTo),
    size: p.size,
    snippet: p.snippet,
    text_body: p.text,
    html_body: p.html,
    html_prepared: p.html !== null,
    html_too_big: p.htmlTooBig,
    too_large: p.tooLarge,
    has_attachments: p.attachments.some((a) => !a.inline),
    raw_sha256: p.sha256,
    parse_error: p.parseError,
    list_id: p.headers.listId,
    list_unsubscribe: p.headers.listUnsubscribe,
    precedence: p.headers.precedence,
    auto_submitted: p.headers.autoSubmitted,
  };
}

/**
 * Sent from Tidings and stored at once (outbox_id set, in no folder yet), then synced from Sent with
 * other bytes (Gmail and Microsoft add headers to the copy they file): the stored row takes the synced
 * source, so the insert that follows merges into it and the message keeps its id (links, timeline).
 * Same bytes need nothing: the (mailbox, raw hash) conflict merges them. Returns the adopted ids; their
 * attachment rows were dropped to be written again from the new source.
 */
async function adoptSentMessages(trx: Transaction<Database>, mailboxId: string, incoming: ParsedMessage[]): Promise<Set<string>> {
  const byMessageId = new Map(incoming.filter((p) => p.messageId).map((p) => [p.messageId as string, p]));
  if (!byMessageId.size) return new Set();
  const pending = await trx
    .selectFrom('messages')
    .select(['id', 'message_id_header', 'raw_sha256'])
    .where('mailbox_id', '=', mailboxId)
    .where('outbox_id', 'is not', null)
    .where('message_id_header', 'in', [...byMessageId.keys()])
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('message_folders').select('message_id').whereRef('message_folders.message_id', '=', 'messages.id'))),
    )
    .execute();
  const adopted = new Set<string>();
  for (const row of pending) {
    const p = byMessageId.get(row.message_id_header as string);
    if (!p || p.sha256 === row.raw_sha256) continue;
    const taken = await trx
      .selectFrom('messages')
      .select('id')
      .where('mailbox_id', '=', mailboxId)
      .where('raw_sha256', '=', p.sha256)
      .executeTakeFirst();
    if (taken) continue;
    await trx
      .updateTable('messages')
      .set({ ...parsedColumns(p), updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await trx.deleteFrom('attachments').where('message_id', '=', row.id).execute();
    adopted.add(row.id);
  }
  return adopted;
}

/**
 * Stores one batch and moves the folder's progress (and cursor, when given) in the same transaction:
 * at-least-once fetch, exactly-once store. Replaying a batch changes nothing: messages are unique by
 * (mailbox, raw hash), memberships by (folder, generation, remote id).
 */
export async function storeBatch(db: Kysely<Database>, input: BatchInput): Promise<BatchResult> {
  const result = await db.transaction().execute((trx) => storeBatchIn(trx, input));
  // Counted once committed: a rolled-back batch imported nothing.
  messagesImported.inc(result.created.length);
  return result;
}

export async function storeBatchIn(trx: Transaction<Database>, input: BatchInput): Promise<BatchResult> {
  const { mailboxId, folderId, generation } = input;
  const result: BatchResult = { created: [], updated: [], deleted: [] };
  const memberships: Array<{ message_id: string; remote_id: string }> = [];

  // One row per distinct source: the same bytes twice in a batch would hit ON CONFLICT twice.
  const bySha = new Map<string, IncomingMessage[]>();
  for (const m of input.incoming ?? []) bySha.set(m.parsed.sha256, [...(bySha.get(m.parsed.sha256) ?? []), m]);
  const distinct = [...bySha.values()].map((list) => list[0]);
  // Before the rows that name them: a committed message always finds its bytes (and compaction,
  // which waits for this lock, sees them named).
  if (distinct.length) await lockBlobReferences(trx, 'shared');
  await insertBlobLocations(
    trx,
    (input.incoming ?? []).flatMap((m) => m.blobLocations ?? []),
  );
  if (distinct.length) {
    const participants = distinct.map((m) => participantsOf(m.parsed));
    const threadIds = await assignThreads(
      trx,
      mailboxId,
      distinct.map((m, i) => ({
        parsed: m.parsed,
        participants: participants[i],
        gmailThreadId: m.ref.threadId,
        receivedAt: m.ref.internalDate,
      })),
    );
    // A message Tidings sent and stored before any folder listed it, whose synced copy has other bytes
    // (the provider saved its own): the row takes this source, so the insert below merges into it.
    const adopted = await adoptSentMessages(
      trx,
      mailboxId,
      distinct.map((m) => m.parsed),
    );
    const rows = await trx
      .insertInto('messages')
      .values(distinct.map((m, i) => messageRowValues(mailboxId, m, participants[i], threadIds[i])))
      .onConflict((oc) =>
        oc.columns(['mailbox_id', 'raw_sha256']).doUpdateSet({
          stable_id: sql`coalesce(excluded.stable_id, messages.stable_id)`,
          seen: sql`excluded.seen`,
          flagged: sql`excluded.flagged`,
          answered: sql`excluded.answered`,
          draft: sql`excluded.draft`,
          // A server without labels leaves those stored alone (none: it never had any).
          ...(distinct.some((m) => m.ref.labels !== undefined) ? { labels: sql`excluded.labels` } : {}),
        }),
      )
      .returning(['id', 'raw_sha256', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    const idBySha = new Map(rows.map((r) => [r.raw_sha256, r]));
    const attachmentRows: Insertable<AttachmentsTable>[] = [];
    for (const [sha, list] of bySha) {
      const row = idBySha.get(sha)!;
      if (row.inserted || adopted.has(row.id)) {
        if (row.inserted) result.created.push(row.id);
        else result.updated.push(row.id);
        attachmentRows.push(...attachmentRowValues(row.id, list[0].parsed));
      } else result.updated.push(row.id);
      for (const m of list) memberships.push({ message_id: row.id, remote_id: m.ref.remoteId });
    }
    await insertAttachmentRows(trx, attachmentRows);
  }
  for (const l of input.linked ?? []) {
    memberships.push({ message_id: l.messageId, remote_id: l.ref.remoteId });
    result.updated.push(l.messageId);
  }
  if (memberships.length) {
    await trx
      .insertInto('message_folders')
      .values(memberships.map((m) => ({ ...m, folder_id: folderId, uid_validity: generation })))
      .onConflict((oc) => oc.columns(['folder_id', 'uid_validity', 'remote_id']).doNothing())
      .execute();
  }
  if (input.retryLater) await scheduleRetries(trx, mailboxId, folderId, generation, input.retryLater.refs, input.retryLater.at);
  if (input.retryMissed?.length) await postponeRetries(trx, folderId, generation, input.retryMissed);
  if (input.flagUpdates?.length) result.updated.push(...(await applyFlags(trx, folderId, generation, input.flagUpdates)));
  // A message found by its server id in another folder: its labels are as new as this listing.
  const relabelled = (input.linked ?? []).filter((l) => l.ref.labels !== undefined);
  if (relabelled.length)
    await applyLabels(
      trx,
      relabelled.map((l) => ({ messageId: l.messageId, labels: l.ref.labels! })),
    );

  const touched: string[] = [];
  if (input.removed?.length) {
    const gone = await trx
      .deleteFrom('message_folders')
      .where('folder_id', '=', folderId)
      .where('uid_validity', '=', generation)
      .where('remote_id', 'in', input.removed)
      .returning('message_id')
      .execute();
    touched.push(...gone.map((g) => g.message_id));
    await clearRetries(trx, folderId, generation, input.removed);
  }
  if (input.keepOnly) {
    const keep = input.keepOnly;
    const gone = await trx
      .deleteFrom('message_folders')
      .where('folder_id', '=', folderId)
      .where(outsideListing('uid_validity', generation, keep))
      .returning('message_id')
      .execute();
    touched.push(...gone.map((g) => g.message_id));
    await keepOnlyRetries(trx, folderId, generation, keep);
  }
  if (touched.length) result.deleted.push(...(await deleteOrphans(trx, [...new Set(touched)])));

  if (input.cursor && input.clearStoredRetries) await clearStoredRetries(trx, folderId, generation);
  if (input.progress || input.cursor) {
    await trx
      .updateTable('mail_folders')
      .set({
        ...(input.progress ? { synced: input.progress.synced, total: input.progress.total } : {}),
        ...(input.cursor
          ? {
              cursor: JSON.stringify(input.cursor),
              generation,
              last_synced_at: new Date(),
              last_error: fetchFailureNote(input.retryLater?.refs.map((r) => r.remoteId)),
            }
          : {}),
        ...(input.cursor && input.listedFrom ? { listed_from: input.listedFrom } : {}),
      })
      .where('id', '=', folderId)
      .execute();
  }
  const deleted = new Set(result.deleted);
  const created = new Set(result.created);
  result.updated = [...new Set(result.updated)].filter((id) => !deleted.has(id) && !created.has(id));
  return result;
}

/** The folder's last_error when the cursor moved past messages the server would not return. */
export function fetchFailureNote(remoteIds: string[] | undefined): string | null {
  if (!remoteIds?.length) return null;
  const ids = remoteIds.slice(0, 20).join(', ') + (remoteIds.length > 20 ? ', …' : '');
  return `fetch_failed: ${remoteIds.length} message(s) listed by the server but not returned after several tries were skipped for now and will be tried again (ids ${ids})`;
}

/** Sets labels from the server's view (messages matched by id, not by folder membership). */
async function applyLabels(db: Db, rows: Array<{ messageId: string; labels: string[] }>): Promise<void> {
  const values = sql.join(rows.map((r) => sql`(${r.messageId}::uuid, ${r.labels}::text[])`));
  await sql`
    update messages m set labels = v.labels, updated_at = now()
    from (values ${values}) as v(id, labels)
    where m.id = v.id and m.labels is distinct from v.labels`.execute(db);
}

/**
 * Sets flags, and labels where the server has them, from the server's view; returns the ids of messages
 * whose flags or labels actually changed. A ref without labels (a server that has none) keeps the stored.
 */
export async function applyFlags(db: Db, folderId: string, generation: string, refs: RemoteMessageRef[]): Promise<string[]> {
  if (!refs.length) return [];
  if (refs.length > 2000) {
    const out: string[] = [];
    for (let i = 0; i < refs.length; i += 2000) out.push(...(await applyFlags(db, folderId, generation, refs.slice(i, i + 2000))));
    return out;
  }
  const values = sql.join(
    refs.map((r) => {
      const f = flagsOf(r);
      return sql`(${r.remoteId}::text, ${f.seen}::boolean, ${f.flagged}::boolean, ${f.answered}::boolean, ${f.draft}::boolean, ${r.labels ?? null}::text[])`;
    }),
  );
  const res = await sql<{ id: string }>`
    update messages m set seen = v.seen, flagged = v.flagged, answered = v.answered, draft = v.draft,
      labels = coalesce(v.labels, m.labels), updated_at = now()
    from (values ${values}) as v(remote_id, seen, flagged, answered, draft, labels), message_folders mf
    where mf.folder_id = ${folderId} and mf.uid_validity = ${generation} and mf.remote_id = v.remote_id and m.id = mf.message_id
      and (m.seen, m.flagged, m.answered, m.draft, m.labels) is distinct from (v.seen, v.flagged, v.answered, v.draft, coalesce(v.labels, m.labels))
    returning m.id`.execute(db);
  return res.rows.map((r) => r.id);
}

/** A message in no folder any more is deleted (its blobs stay: they are content-addressed and may be shared). */
export async function deleteOrphans(db: Db, messageIds: string[]): Promise<string[]> {
  if (!messageIds.length) return [];
  const rows = await db
    .deleteFrom('messages')
    .where('id', 'in', messageIds)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('message_folders').select('message_id').whereRef('message_folders.message_id', '=', 'messages.id'))),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
