import type { Kysely } from 'kysely';
import { ConnectorError, type FlagName, type MailConnector } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { DomainError, NotFoundError } from '../kernel/index.ts';
import { deleteOrphans } from '../store/batch.ts';
import { messageFolders } from '../store/message-queries.ts';
import type { ConnectorFactory } from './connector-factory.ts';

export type MessageCommandErrorCode = 'server_rejected' | 'no_trash_folder' | 'folder_not_found' | 'not_in_a_folder';

/** Why a change the user asked for did not happen (a missing message is a NotFoundError). */
export class MessageCommandError extends DomainError<MessageCommandErrorCode> {}

export interface CommandDeps {
  db: Kysely<Database>;
  connectorFor: ConnectorFactory;
  events: EventBus;
}

export interface MessageChange {
  seen?: boolean;
  flagged?: boolean;
  /** \Answered: set by the outbox after a reply went out. */
  answered?: boolean;
  folderId?: string;
}

type Membership = Awaited<ReturnType<typeof messageFolders>>[number];

/** Runs `fn` on a fresh connection to the mailbox's server; any failure there becomes server_rejected. */
async function onServer<T>(deps: CommandDeps, mailboxId: string, fn: (c: MailConnector) => Promise<T>): Promise<T> {
  const mailbox = await deps.db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow();
  let connector: MailConnector | null = null;
  try {
    connector = await deps.connectorFor(mailbox);
    await connector.connect();
    return await fn(connector);
  } catch (err) {
    const code = err instanceof ConnectorError ? err.code : 'error';
    throw new MessageCommandError('server_rejected', `The mail server did not accept the change (${code}): ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await connector?.close().catch(() => undefined);
  }
}

/** Moves every membership into `target` on the server, then records the new memberships. */
async function moveAll(
  deps: CommandDeps,
  messageId: string,
  mailboxId: string,
  members: Membership[],
  target: { id: string; remote_id: string; generation: string | null; selected: boolean },
): Promise<boolean> {
  const moving = members.filter((m) => m.id !== target.id);
  if (!moving.length) return false;
  const newIds: string[] = [];
  await onServer(deps, mailboxId, async (c) => {
    for (const m of moving) {
      const map = await c.move(m.folderRemoteId, [m.remoteId], target.remote_id);
      const id = map?.get(m.remoteId);
      if (id) newIds.push(id);
    }
  });
  return deps.db.transaction().execute(async (trx) => {
    for (const m of moving) {
      await trx
        .deleteFrom('message_folders')
        .where('folder_id', '=', m.id)
        .where('uid_validity', '=', m.uidValidity)
        .where('remote_id', '=', m.remoteId)
        .execute();
    }
    // Where the server told the new UID, the store knows the new place now; otherwise the target's next sync
    // finds the message by its content hash and joins it to this row.
    if (newIds.length && target.generation !== null && target.selected) {
      await trx
        .insertInto('message_folders')
        .values(newIds.map((remote_id) => ({ message_id: messageId, folder_id: target.id, uid_validity: target.generation!, remote_id })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // Moved out of every synced folder: like any message that left its last folder, it leaves the store.
    return (await deleteOrphans(trx, [messageId])).length > 0;
  });
}

/** Flags and folder changes: server first, store second (the server wins; a refusal leaves the store as it was). */
export async function changeMessage(deps: CommandDeps, messageId: string, change: MessageChange): Promise<void> {
  const msg = await deps.db.selectFrom('messages').select(['id', 'mailbox_id']).where('id', '=', messageId).executeTakeFirst();
  if (!msg) throw new NotFoundError('message');
  const members = await messageFolders(deps.db, messageId);
  if (!members.length) throw new MessageCommandError('not_in_a_folder', 'The message is in no synced folder; wait for the next sync.');
  const add: FlagName[] = [];
  const remove: FlagName[] = [];
  for (const flag of ['seen', 'flagged', 'answered'] as const) {
    if (change[flag] === true) add.push(flag);
    if (change[flag] === false) remove.push(flag);
  }
  let target: { id: string; remote_id: string; generation: string | null; mailbox_id: string; selected: boolean } | undefined;
  if (change.folderId) {
    target = await deps.db
      .selectFrom('mail_folders')
      .select(['id', 'remote_id', 'generation', 'mailbox_id', 'selected'])
      .where('id', '=', change.folderId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!target || target.mailbox_id !== msg.mailbox_id)
      throw new MessageCommandError('folder_not_found', 'The folder does not exist in this mailbox.');
  }
  if (add.length || remove.length) {
    await onServer(deps, msg.mailbox_id, async (c) => {
      for (const m of members) await c.setFlags(m.folderRemoteId, [m.remoteId], { add, remove });
    });
    const set: Record<string, boolean> = {};
    for (const f of add) set[f] = true;
    for (const f of remove) set[f] = false;
    await deps.db
      .updateTable('messages')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', messageId)
      .execute();
  }
  const gone = target ? await moveAll(deps, messageId, msg.mailbox_id, members, target) : false;
  deps.events.emit(gone ? 'message.deleted' : 'message.updated', { mailboxId: msg.mailbox_id, messageId });
}

/** Delete as mail clients do: move to Trash; a message already in Trash is expunged for good. */
export async function deleteMessage(deps: CommandDeps, messageId: string): Promise<'moved_to_trash' | 'expunged'> {
  const msg = await deps.db.selectFrom('messages').select(['id', 'mailbox_id']).where('id', '=', messageId).executeTakeFirst();
  if (!msg) throw new NotFoundError('message');
  const members = await messageFolders(deps.db, messageId);
  const inTrash = members.filter((m) => m.role === 'trash');
  if (inTrash.length || !members.length) {
    await onServer(deps, msg.mailbox_id, async (c) => {
      for (const m of members) await c.expunge(m.folderRemoteId, [m.remoteId]);
    });
    await deps.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('message_folders').where('message_id', '=', messageId).execute();
      await deleteOrphans(trx, [messageId]);
    });
    deps.events.emit('message.deleted', { mailboxId: msg.mailbox_id, messageId });
    return 'expunged';
  }
  const trash = await deps.db
    .selectFrom('mail_folders')
    .select(['id', 'remote_id', 'generation', 'selected'])
    .where('mailbox_id', '=', msg.mailbox_id)
    .where('role', '=', 'trash')
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!trash) throw new MessageCommandError('no_trash_folder', 'The mailbox has no Trash folder; nothing was changed.');
  const gone = await moveAll(deps, messageId, msg.mailbox_id, members, trash);
  deps.events.emit(gone ? 'message.deleted' : 'message.updated', { mailboxId: msg.mailbox_id, messageId });
  return 'moved_to_trash';
}
