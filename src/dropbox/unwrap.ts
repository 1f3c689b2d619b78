import { first, readRawHeaders } from '../ingest/index.ts';
import { findAttachedMessage } from './attached-message.ts';
import { headerZone, parseForwardedDate } from './forward-date.ts';
import { findInlineForward } from './inline-forward.ts';
import { parseForwardedAddresses, rebuildSource } from './rebuild-source.ts';

export interface UnwrappedForward {
  kind: 'attachment' | 'inline';
  /** The separator an inline forward used (which client's shape it was), or the attached part's type. */
  marker: string;
  /** The original's source: the attached bytes, or one rebuilt from the inline block. */
  source: Buffer;
}

/**
 * The original inside a forward: an attached message first (it is the original byte for byte), else an
 * inline forward read out of the text. Null when the message forwards nothing Tidings can read: it is
 * then mail the user wrote (a BCC to the drop box) or a forward it does not know, and is kept as it is.
 */
export function unwrapForward(raw: Buffer, text: string | null): UnwrappedForward | null {
  const attached = findAttachedMessage(raw);
  if (attached) return { kind: 'attachment', marker: 'message/rfc822', source: attached };
  const inline = text ? findInlineForward(text) : null;
  if (!inline) return null;
  const from = parseForwardedAddresses(inline.fields.from);
  if (!from.length) return null;
  const zone = headerZone(first(readRawHeaders(raw), 'date'));
  const source = rebuildSource({
    from,
    to: parseForwardedAddresses(inline.fields.to),
    cc: parseForwardedAddresses(inline.fields.cc),
    subject: inline.fields.subject || null,
    date: inline.fields.date ? parseForwardedDate(inline.fields.date, zone) : null,
    body: inline.body,
  });
  return { kind: 'inline', marker: inline.marker, source };
}
