import type { ImapFlow } from 'imapflow';
import { closeQuietly } from './imap-watch.ts';
import { Mutex } from './mutex.ts';

/**
 * One lazily opened IMAP connection that callers take turns on (one selected folder per connection).
 * Re-opened on the next use after it dropped; concurrent first users share one connection attempt.
 */
export class ConnectionSlot {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  readonly mutex = new Mutex();

  constructor(private readonly open: () => Promise<ImapFlow>) {}

  /** The live connection, opened if needed. Call while holding `mutex` for anything stateful. */
  async get(): Promise<ImapFlow> {
    if (this.client?.usable && !this.client.isClosed) return this.client;
    this.connecting ??= this.open()
      .then((client) => {
        this.client = client;
        return client;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  /** Logs out (or closes) whatever is open or opening; never throws. */
  async close(): Promise<void> {
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    this.connecting = null;
    if (client) await closeQuietly(client);
  }
}
