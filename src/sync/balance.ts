/** What one discovery tick changes in this process's leases. */
export interface LeasePlan {
  /** Mailboxes nobody holds (or whose holder died) to try to take. */
  take: string[];
  /** Mailboxes this process holds beyond its share, to give back. */
  giveBack: string[];
}

/** A sync process's share: the mailboxes split over the live processes, rounded up so none is left over. */
export function shareOf(mailboxes: number, liveProcesses: number): number {
  return Math.ceil(mailboxes / Math.max(1, liveProcesses));
}

/**
 * Balances by share: a process below its share takes free mailboxes, one above it gives the extra back
 * for the others to take at their next tick. Rounding up keeps every mailbox someone's share, and a
 * process exactly at its share moves nothing, so shares settle instead of trading mailboxes back and forth.
 * `free` is taken in a random order so processes starting together seldom race for the same rows.
 */
export function planLeases(opts: {
  wanted: string[];
  mine: string[];
  heldByOthers: ReadonlySet<string>;
  liveProcesses: number;
}): LeasePlan {
  const share = shareOf(opts.wanted.length, opts.liveProcesses);
  const mine = new Set(opts.mine);
  if (mine.size > share) return { take: [], giveBack: opts.mine.slice(share) };
  const free = opts.wanted.filter((id) => !mine.has(id) && !opts.heldByOthers.has(id));
  return { take: shuffled(free).slice(0, share - mine.size), giveBack: [] };
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
