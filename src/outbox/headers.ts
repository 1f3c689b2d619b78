import type { StoredAddress } from '../store/tables.ts';
import { OutboxError } from './errors.ts';
import { ValidationError } from '../kernel/index.ts';

/**
 * What may go in a header of a message Tidings sends. Every value the user controls (names, addresses,
 * subject) is checked here before the MIME is built, so no value can end a header and start another.
 */

// Any C0 control (CR and LF among them), DEL and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

// RFC 5322 dot-atom local part (atext), with UTF-8 allowed as RFC 6531 does; no quoted local parts.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;
// Host names: labels of letters, digits and hyphens (or UTF-8 for IDN), dot-separated.
const LABEL = /^(?:[A-Za-z0-9\u0080-\uffff](?:[A-Za-z0-9\u0080-\uffff-]{0,61}[A-Za-z0-9\u0080-\uffff])?)$/;

/** True when `address` is one plain addr-spec (`local@domain`): no name, no angle brackets, no list. */
export function isPlainAddress(address: string): boolean {
  if (address.length > 320 || CONTROL.test(address)) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return false;
  const labels = domain.split('.');
  return labels.every((l) => LABEL.test(l));
}

export const hasControl = (value: string): boolean => CONTROL.test(value);

/** The recipients as they go in the headers; refuses (invalid_address) any that is not one plain address. */
export function checkedAddresses(list: readonly StoredAddress[], field: 'to' | 'cc' | 'bcc'): StoredAddress[] {
  return list.map((a, i) => {
    // Checked before trimming: a line break anywhere is refused, not tidied away.
    if (hasControl(a.address) || (a.name && hasControl(a.name)) || !isPlainAddress(a.address.trim()))
      throw new OutboxError('invalid_address', `${field}[${i}] is not one plain address (name and address without line breaks).`, {
        details: { field, index: i },
      });
    return { name: a.name?.trim() || null, address: a.address.trim() };
  });
}

/** Refuses a subject with a line break or another control character. */
export function checkedSubject(subject: string): string {
  if (hasControl(subject.replace(/\t/g, ' ')))
    throw new ValidationError('The subject may not contain line breaks or control characters.', [
      { path: 'body.subject', message: 'line break or control character' },
    ]);
  return subject;
}

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

/** A Message-ID fit to be repeated in In-Reply-To or References; anything else (from a stored message) is dropped. */
export function cleanMessageId(id: string | null | undefined): string | null {
  const t = (id ?? '').trim();
  return MESSAGE_ID.test(t) && !hasControl(t) ? t : null;
}

/** How many ids References keeps: the thread's first, then the latest (RFC 5322 §3.6.4 allows trimming). */
const MAX_REFERENCES = 20;

/** References for a reply: the source's References, then the source's own Message-ID; long chains keep the root and the newest. */
export function replyReferences(sourceReferences: readonly string[], sourceMessageId: string | null): string[] {
  const ids = [...sourceReferences, sourceMessageId ?? '']
    .map(cleanMessageId)
    .filter((id): id is string => id !== null)
    .filter((id, i, all) => all.indexOf(id) === i);
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}
