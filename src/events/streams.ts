import { DomainError } from '../kernel/index.ts';

export type EventStreamErrorCode = 'too_many_streams' | 'server_stopping';

export class TooManyStreamsError extends DomainError<EventStreamErrorCode> {
  constructor(max: number) {
    super('too_many_streams', `You already have ${max} live event streams open; close a tab or window and reload.`);
  }
}

export class ServerStoppingError extends DomainError<EventStreamErrorCode> {
  constructor() {
    super('server_stopping', 'The server is stopping; try again in a moment.');
  }
}

/** One open event stream, as the registry sees it: whose it is, how to end it, how to tell it may go on. */
export interface OpenStream {
  userId: string;
  /** The session it was opened with; null for an API token. */
  sessionId: string | null;
  /** Whether the session or token behind it is still valid; false (or a throw) ends the stream. */
  stillAllowed(): Promise<boolean>;
  /** Ends the stream; called once. */
  end(reason: StreamEndReason): void;
}

/** `resync`: events may have been missed (the relay between processes dropped); the browser reconnects and re-reads. */
export type StreamEndReason = 'shutdown' | 'signed_out' | 'resync';

export interface StreamRegistryOptions {
  /** Open streams per user; one more is refused with too_many_streams. */
  maxPerUser: number;
  /** How often every stream's session is checked again (expiry, deletion, deactivation). */
  recheckMs: number;
}

/** Each browser tab holds two (mail and reminders), and a browser reaches a host over at most 6 HTTP/1.1 connections. */
export const DEFAULT_STREAM_LIMITS: StreamRegistryOptions = { maxPerUser: 10, recheckMs: 10_000 };

/**
 * The open event streams of this process. Streams are long requests that never end by themselves, so
 * something must end them: shutdown (closeAll, or the server never finishes closing), the end of the
 * session they were opened with (endSession/endUser on sign-out and deactivation, and a periodic
 * recheck for expiry and anything else), and a cap per user so one account cannot hold unbounded
 * connections and subscriptions.
 */
export class StreamRegistry {
  readonly #streams = new Set<OpenStream>();
  readonly #opts: StreamRegistryOptions;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(opts: Partial<StreamRegistryOptions> = {}) {
    this.#opts = { ...DEFAULT_STREAM_LIMITS, ...opts };
  }

  get size(): number {
    return this.#streams.size;
  }

  /**
   * Registers a stream; throws TooManyStreamsError when its user is at the cap. Returns the function
   * to call when the stream ends by itself (the client went away).
   */
  add(stream: OpenStream): () => void {
    if (this.#closed) throw new ServerStoppingError();
    let count = 0;
    for (const s of this.#streams) if (s.userId === stream.userId) count++;
    if (count >= this.#opts.maxPerUser) throw new TooManyStreamsError(this.#opts.maxPerUser);
    this.#streams.add(stream);
    this.#timer ??= setInterval(() => void this.recheck(), this.#opts.recheckMs).unref();
    return () => this.#remove(stream);
  }

  /** Ends the streams opened with this session (signed out). */
  endSession(sessionId: string): void {
    for (const s of [...this.#streams]) if (s.sessionId === sessionId) this.#end(s, 'signed_out');
  }

  /** Ends every stream of this user (deactivated, or all sessions ended by a password reset). */
  endUser(userId: string): void {
    for (const s of [...this.#streams]) if (s.userId === userId) this.#end(s, 'signed_out');
  }

  /** Asks each stream whether its session is still valid, and ends those that are not. */
  async recheck(): Promise<void> {
    await Promise.all(
      [...this.#streams].map(async (s) => {
        const ok = await s.stillAllowed().catch(() => false);
        if (!ok) this.#end(s, 'signed_out');
      }),
    );
  }

  /** Ends every stream and keeps taking new ones: browsers reconnect and re-read what they show. */
  restartAll(): void {
    for (const s of [...this.#streams]) this.#end(s, 'resync');
  }

  /** Ends every stream and refuses new ones: the server is stopping. */
  closeAll(): void {
    this.#closed = true;
    for (const s of [...this.#streams]) this.#end(s, 'shutdown');
  }

  #end(stream: OpenStream, reason: StreamEndReason): void {
    if (!this.#remove(stream)) return;
    try {
      stream.end(reason);
    } catch {
      // The connection is already gone.
    }
  }

  #remove(stream: OpenStream): boolean {
    const had = this.#streams.delete(stream);
    if (this.#streams.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    return had;
  }
}
