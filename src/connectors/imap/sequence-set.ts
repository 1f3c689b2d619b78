/** UIDs as IMAP sequence sets. UIDs are 32-bit, so plain numbers are exact. */

/** Parses decimal UID strings; throws on anything that is not one (ids come from the engine's rows). */
export function parseUids(remoteIds: readonly string[]): number[] {
  return remoteIds.map((id) => {
    if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 0xffffffff) throw new RangeError(`not an IMAP UID: ${JSON.stringify(id)}`);
    return Number(id);
  });
}

/** "1:3,7,9:10" for [1,2,3,7,9,10] (sorted, deduplicated); "" for none. */
export function toSequenceSet(uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = -1;
  let prev = -1;
  for (const uid of sorted) {
    if (uid === prev + 1) {
      prev = uid;
      continue;
    }
    if (start !== -1) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
    start = prev = uid;
  }
  if (start !== -1) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
  return parts.join(',');
}

/** Splits UIDs into chunks of at most `size`, keeping the given order (for batched FETCH/STORE). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
