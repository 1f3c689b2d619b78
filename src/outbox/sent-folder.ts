import type { Kysely } from 'kysely';
import type { MailConnector } from '../connectors/types.ts';
import type { Database } from '../db/schema.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import type { ConnectorFactory } from '../sync/connector-factory.ts';

interface Entry {
  /** The mailbox row it was opened for: a changed row (password, server) opens a new one. */
  stamp: number;
  connector: Promise<MailConnector>;
  folderId?: string | null;
  lastUsed: number;
}

/**
 * One open connection per mailbox to its Sent folder, shared by the worker's attempts and closed after
 * `idleMs` unused: signing in (TLS, login, folder listing) cost more than the find and APPEND
 * themselves. A connection that fails is dropped, so the next attempt opens a new one.
 */
export class SentFolders {
  readonly #entries = new Map<string, Entry>();
  #sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { db: Kysely<Database>; connectorFor: ConnectorFactory },
    private readonly idleMs = 30_000,
  ) {}

  for(mailbox: MailboxRow): SentFolder {
    return new SentFolder(this, mailbox);
  }

  /** @internal */
  entry(mailbox: MailboxRow): Entry {
    if (!this.#sweep) {
      this.#sweep = setInterval(() => this.#closeIdle(), Math.max(1_000, Math.floor(this.idleMs / 2)));
      this.#sweep.unref();
    }
    const stamp = new Date(mailbox.updated_at).getTime();
    let e = this.#entries.get(mailbox.id);
    if (e && e.stamp !== stamp) {
      this.#drop(mailbox.id, e);
      e = undefined;
    }
    if (!e) {
      const connector = (async () => {
        const c = await this.deps.connectorFor(mailbox);
        await c.connect();
        return c;
      })();
      // A failed connect is dropped at once (and reported through the call that awaits it).
      connector.catch(() => this.evict(mailbox.id));
      e = { stamp, connector, lastUsed: Date.now() };
      this.#entries.set(mailbox.id, e);
    }
    e.lastUsed = Date.now();
    return e;
  }

  /** @internal */
  async knownSentFolder(mailboxId: string): Promise<string | null> {
    const known = await this.deps.db
      .selectFrom('mail_folders')
      .select('remote_id')
      .where('mailbox_id', '=', mailboxId)
      .where('role', '=', 'sent')
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return known?.remote_id ?? null;
  }

  evict(mailboxId: string): void {
    const e = this.#entries.get(mailboxId);
    if (e) this.#drop(mailboxId, e);
  }

  #drop(mailboxId: string, e: Entry): void {
    if (this.#entries.get(mailboxId) === e) this.#entries.delete(mailboxId);
    void e.connector.then(
      (c) => c.close().catch(() => undefined),
      () => undefined,
    );
  }

  #closeIdle(): void {
    const now = Date.now();
    for (const [id, e] of this.#entries) if (now - e.lastUsed > this.idleMs) this.#drop(id, e);
  }

  async close(): Promise<void> {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
    const all = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(
      all.map((e) =>
        e.connector.then(
          (c) => c.close().catch(() => undefined),
          () => undefined,
        ),
      ),
    );
  }
}

/** The mailbox's Sent folder, on its server: find a message by Message-ID, put a copy in, take it out. */
export class SentFolder {
  constructor(
    private readonly pool: SentFolders,
    private readonly mailbox: MailboxRow,
  ) {}

  /** Runs `fn` on the shared connection; a failure drops that connection. */
  async #with<T>(fn: (c: MailConnector, folderId: string | null) => Promise<T>): Promise<T> {
    const e = this.pool.entry(this.mailbox);
    try {
      const c = await e.connector;
      if (e.folderId === undefined) {
        // As sync knows it, else as the server lists it; null when the mailbox has none.
        e.folderId =
          (await this.pool.knownSentFolder(this.mailbox.id)) ??
          (await c.listFolders()).find((f) => f.role === 'sent' && f.selectable)?.id ??
          null;
      }
      return await fn(c, e.folderId);
    } catch (err) {
      this.pool.evict(this.mailbox.id);
      throw err;
    }
  }

  /** Remote ids of the copies of `messageIdHeader` in Sent. Throws when Sent cannot be read (or there is none). */
  find(messageIdHeader: string): Promise<string[]> {
    return this.#with(async (c, folder) => {
      if (folder === null) throw new Error('the mailbox has no Sent folder to look in');
      return c.findByMessageId(folder, messageIdHeader);
    });
  }

  /**
   * Appends `raw` (seen) unless a copy is there already; false when there is no Sent folder. `firstTry`:
   * no earlier attempt can have put one there, so the search (a scan of Sent on most servers) is skipped.
   */
  ensureCopy(messageIdHeader: string, raw: Buffer, firstTry = false): Promise<boolean> {
    return this.#with(async (c, folder) => {
      if (folder === null) return false;
      if (!firstTry && (await c.findByMessageId(folder, messageIdHeader)).length) return true;
      await c.append(folder, raw, ['seen']);
      return true;
    });
  }

  /** Removes every copy of `messageIdHeader` from Sent (a message that was not sent after all). */
  remove(messageIdHeader: string): Promise<number> {
    return this.#with(async (c, folder) => {
      if (folder === null) return 0;
      const ids = await c.findByMessageId(folder, messageIdHeader);
      if (ids.length) await c.expunge(folder, ids);
      return ids.length;
    });
  }
}
