import { DiscoveryError, type DiscoverySource, type TriedEntry, type TriedOutcome } from './types.ts';

const deadlineHit = Symbol('deadline');

/** What one look-up yields: a value, or a short reason there was none. */
export type Step<T> = { found: T; detail?: string } | { none: string };

const timeoutCodes = new Set(['ETIMEOUT', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const absentCodes = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

/** Maps a thrown error (and its causes: fetch wraps the socket's) to an outcome and a short detail. */
export function classifyError(error: unknown): { outcome: TriedOutcome; detail: string } {
  const chain: unknown[] = [];
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) chain.push(e);
  for (const e of chain) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (
      (typeof code === 'string' && timeoutCodes.has(code)) ||
      name === 'TimeoutError' ||
      name === 'AbortError' ||
      (e instanceof DiscoveryError && e.code === 'timeout')
    ) {
      return { outcome: 'timeout', detail: 'no answer in time' };
    }
    if (typeof code === 'string' && absentCodes.has(code)) return { outcome: 'none', detail: `no such name (${code})` };
  }
  const last = chain[chain.length - 1] as { code?: unknown; message?: unknown } | undefined;
  const first = chain[0] as { message?: unknown } | undefined;
  const code = typeof last?.code === 'string' ? `${last.code}: ` : '';
  const message = typeof last?.message === 'string' ? last.message : String(first?.message ?? error);
  return { outcome: 'error', detail: (code + message).slice(0, 200) };
}

/**
 * Runs look-ups against one shared deadline and records each in `tried`. A look-up still running at the
 * deadline is recorded as a timeout and its late answer ignored, so discovery returns on time even when a
 * dependency ignores its own timeout.
 */
export class Attempts {
  readonly tried: TriedEntry[] = [];
  private readonly deadlineAt: number;
  private readonly deadline: Promise<typeof deadlineHit>;
  private timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.deadlineAt = Date.now() + timeoutMs;
    this.deadline = new Promise((resolve) => {
      this.timer = setTimeout(() => resolve(deadlineHit), timeoutMs);
    });
  }

  remainingMs(): number {
    return Math.max(1, this.deadlineAt - Date.now());
  }

  async run<T>(source: DiscoverySource, target: string, lookUp: (timeoutMs: number) => Promise<Step<T>>): Promise<T | undefined> {
    const entry: TriedEntry = { source, target, outcome: 'timeout' };
    this.tried.push(entry);
    try {
      const step = await Promise.race([lookUp(this.remainingMs()), this.deadline]);
      if (step === deadlineHit) {
        entry.detail = 'no answer in time';
        return undefined;
      }
      if ('none' in step) {
        entry.outcome = 'none';
        entry.detail = step.none;
        return undefined;
      }
      entry.outcome = 'found';
      if (step.detail) entry.detail = step.detail;
      return step.found;
    } catch (error) {
      Object.assign(entry, classifyError(error));
      return undefined;
    }
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
