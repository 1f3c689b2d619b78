/**
 * Reconnect delays: exponential with full jitter between half and all of the step, capped. A connection
 * that lived less than `healthyAfterMs` does not reset the step — a server that accepts and then drops
 * us at once must not be hammered.
 */
export class Backoff {
  #attempt = 0;

  constructor(private readonly opts: { baseMs?: number; maxMs?: number; healthyAfterMs?: number; random?: () => number } = {}) {}

  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next try; `retryAfterMs` (a server's explicit wish) is a floor. */
  next(retryAfterMs?: number): number {
    const base = this.opts.baseMs ?? 1_000;
    const max = this.opts.maxMs ?? 5 * 60_000;
    const step = Math.min(max, base * 2 ** this.#attempt);
    this.#attempt++;
    const jittered = step / 2 + (this.opts.random ?? Math.random)() * (step / 2);
    return Math.max(Math.round(jittered), retryAfterMs ?? 0);
  }

  /** A connection ended after living `livedMs`: only a long-lived one proves the server healthy. */
  connectionEnded(livedMs: number): void {
    if (livedMs >= (this.opts.healthyAfterMs ?? 60_000)) this.#attempt = 0;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
