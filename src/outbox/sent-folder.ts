import type { Kysely } from 'kysely';
import type { MailConnector } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { ConnectorFactory } from '../sync/connector-factory.ts';

/** The mailbox's Sent folder, on its server: find a message by Message-ID, put a copy in, take it out. */
export class SentFolder {
  #connector: MailConnector | null = null;
  #folderId: string | null | undefined;

  constructor(
    private readonly deps: { db: Kysely<Database>; connectorFor: ConnectorFactory },
    private readonly mailbox: MailboxRow,
  ) {}

  async #connect(): Promise<MailConnector> {
    if (!this.#connector) {
      const c = await this.deps.connectorFor(this.mailbox);
      await c.connect();
      this.#connector = c;
    }
    return this.#connector;
  }

  /** The folder with role 'sent' as sync knows it, else as the server lists it; null when it has none. */
  async folderId(): Promise<string | null> {
    if (this.#folderId !== undefined) return this.#folderId;
    const known = await this.deps.db
      .selectFrom('mail_folders')
      .select('remote_id')
      .where('mailbox_id', '=', this.mailbox.id)
      .where('role', '=', 'sent')
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (known) this.#folderId = known.remote_id;
    else {
      const folders = await (await this.#connect()).listFolders();
      this.#folderId = folders.find((f) => f.role === 'sent' && f.selectable)?.id ?? null;
    }
    return this.#folderId;
  }

  /** Remote ids of the copies of `messageIdHeader` in Sent. Throws when Sent cannot be read (or there is none). */
  async find(messageIdHeader: string): Promise<string[]> {
    const folder = await this.folderId();
    if (folder === null) throw new Error('the mailbox has no Sent folder to look in');
    return (await this.#connect()).findByMessageId(folder, messageIdHeader);
  }

  /** Appends `raw` (seen) unless a copy is there already; false when there is no Sent folder. */
  async ensureCopy(messageIdHeader: string, raw: Buffer): Promise<boolean> {
    const folder = await this.folderId();
    if (folder === null) return false;
    const connector = await this.#connect();
    if ((await connector.findByMessageId(folder, messageIdHeader)).length) return true;
    await connector.append(folder, raw, ['seen']);
    return true;
  }

  /** Removes every copy of `messageIdHeader` from Sent (a message that was not sent after all). */
  async remove(messageIdHeader: string): Promise<number> {
    const folder = await this.folderId();
    if (folder === null) return 0;
    const ids = await (await this.#connect()).findByMessageId(folder, messageIdHeader);
    if (ids.length) await (await this.#connect()).expunge(folder, ids);
    return ids.length;
  }

  async close(): Promise<void> {
    const c = this.#connector;
    this.#connector = null;
    await c?.close().catch(() => undefined);
  }
}
