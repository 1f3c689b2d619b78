import type { ImapFlow } from 'imapflow';
import { closeQuietly } from './imap-watch.ts';
import { Mutex } from './mutex.ts';

/**
 * One lazily opened IMAP connection that callers take turns on (one selected folder per connection).
 * Re-opened on the next use after it dropped; concurrent first users share one connection attempt.
 * With `idleCloseMs`, a connection nobody used for that long is logged out (turnEnded() starts the count).
 */
export class ConnectionSlot {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  readonly mutex = new Mutex();

  constructor(
    private readonly open: () => Promise<ImapFlow>,
    private readonly idleCloseMs = 0,
  ) {}

  /** The live connection, opened if needed. Call while holding `mutex` for anything stateful. */
  async get(): Promise<ImapFlow> {
    this.stopIdleTimer();
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

  /** A caller released `mutex`: the connection is logged out if nobody takes a turn within idleCloseMs. */
  turnEnded(): void {
    if (!this.idleCloseMs || !this.client) return;
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => void this.closeIfUnused(), this.idleCloseMs);
    this.idleTimer.unref();
  }

  /** Logs out (or closes) whatever is open or opening; never throws. */
  async close(): Promise<void> {
    this.stopIdleTimer();
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    this.connecting = null;
    if (client) await closeQuietly(client);
  }

  private async closeIfUnused(): Promise<void> {
    this.idleTimer = null;
    if (!this.mutex.free || this.connecting) return; // in use: its release starts the count again
    const client = this.client;
    this.client = null;
    if (client) await closeQuietly(client);
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
