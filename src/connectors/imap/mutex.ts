/**
 * One command connection serves every caller; IMAP has one selected folder per connection, so callers
 * take turns. A FIFO lock keeps a SELECT from one caller from landing between another's SELECT and FETCH.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Callers holding or waiting for the lock. */
  private wanted = 0;

  /** Nobody holds the lock or waits for it. */
  get free(): boolean {
    return this.wanted === 0;
  }

  async acquire(): Promise<() => void> {
    this.wanted++;
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.wanted--;
      release();
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
