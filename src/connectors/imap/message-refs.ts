import type { FetchMessageObject, FetchQueryObject } from 'imapflow';
import type { FlagName, RemoteMessageRef } from '../types.ts';
import { keptLabels, ownLabelOf, type SelectedFolder } from './gmail-labels.ts';

const SYSTEM_FLAGS: Readonly<Record<string, FlagName>> = {
  '\\seen': 'seen',
  '\\flagged': 'flagged',
  '\\answered': 'answered',
  '\\draft': 'draft',
  '\\deleted': 'deleted',
};

const IMAP_FLAG: Readonly<Record<FlagName, string>> = {
  seen: '\\Seen',
  flagged: '\\Flagged',
  answered: '\\Answered',
  draft: '\\Draft',
  deleted: '\\Deleted',
};

export function imapFlagsOf(flags: readonly FlagName[]): string[] {
  return flags.map((f) => IMAP_FLAG[f]);
}

/** Splits IMAP flags into our five system flags and the rest (keywords); \Recent is session state, dropped. */
export function splitFlags(flags: Iterable<string> | undefined): { flags: FlagName[]; keywords: string[] } {
  const out: FlagName[] = [];
  const keywords: string[] = [];
  for (const flag of flags ?? []) {
    const system = SYSTEM_FLAGS[flag.toLowerCase()];
    if (system) out.push(system);
    else if (flag.toLowerCase() !== '\\recent') keywords.push(flag);
  }
  return { flags: out, keywords };
}

/** What we ask the server for every message listed; source is added only by fetchMessages. */
export function refQuery(gmail: boolean): FetchQueryObject {
  return { uid: true, flags: true, size: true, internalDate: true, threadId: true, ...(gmail ? { labels: true } : {}) };
}

/**
 * A RemoteMessageRef from one FETCH row of the selected `folder`. Gmail labels (X-GM-LABELS) become
 * `labels`, completed by the folder's own label, which Gmail leaves out (gmail-labels.ts); a row fetched
 * with ENVELOPE gives `messageId`.
 */
export function refOf(msg: FetchMessageObject, folder?: SelectedFolder | false): RemoteMessageRef {
  const { flags, keywords } = splitFlags(msg.flags);
  const internalDate = msg.internalDate ? new Date(msg.internalDate) : null;
  return {
    remoteId: String(msg.uid),
    stableId: msg.emailId ?? null,
    threadId: msg.threadId ?? null,
    flags,
    keywords,
    size: typeof msg.size === 'number' ? msg.size : null,
    internalDate: internalDate && !Number.isNaN(internalDate.getTime()) ? internalDate : null,
    modseq: msg.modseq !== undefined ? msg.modseq.toString() : null,
    ...(msg.labels ? { labels: keptLabels(msg.labels, ownLabelOf(folder)) } : {}),
    // Only rows fetched with ENVELOPE have it; imapflow gives '' for a message without one.
    ...(msg.envelope ? { messageId: msg.envelope.messageId || null } : {}),
  };
}

/** Newest first (highest UID first), as the engine wants full listings. */
export function newestFirst(refs: RemoteMessageRef[]): RemoteMessageRef[] {
  return refs.sort((a, b) => Number(b.remoteId) - Number(a.remoteId));
}
