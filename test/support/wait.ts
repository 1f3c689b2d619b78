/**
 * Polls `check` every `everyMs` until it returns a truthy value, which it returns; fails after `ms` with
 * `what` and the last error `check` threw. For waiting on a real server (no timed assertions).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 30_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
