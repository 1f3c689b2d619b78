import type { Address } from './types.ts';

/** One address, no spaces or angle brackets: enough to catch typos; the server checks it fully. */
const PLAIN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** "Name <a@b.c>" or "a@b.c" as typed into a recipient field, or null when it is not one address. */
export function parseAddress(text: string): Address | null {
  const trimmed = text.trim();
  const angle = /^(.*)<([^<>]+)>$/.exec(trimmed);
  const name = angle ? angle[1]!.trim().replace(/^"(.*)"$/, '$1') || null : null;
  const address = (angle ? angle[2]! : trimmed).trim();
  return PLAIN.test(address) ? { name, address } : null;
}

export function formatAddress(a: { name?: string | null; address: string }): string {
  return a.name?.trim() ? `${a.name.trim()} <${a.address}>` : a.address;
}

export function toAddresses(values: string[]): Address[] {
  return values.map(parseAddress).filter((a): a is Address => a !== null);
}

export function invalidOf(values: string[]): string[] {
  return values.filter((v) => parseAddress(v) === null);
}
