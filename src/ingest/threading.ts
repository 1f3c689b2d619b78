import { createHash } from 'node:crypto';

/**
 * Conversation threading, modelled on RFC 5256 REFERENCES / JWZ, as pure functions: the store
 * fetches what `threadLookupKeys` asks for, then `resolveThread` decides. No I/O here.
 *
 * Order of evidence: Gmail's X-GM-THRID (what the user sees in Gmail), then Message-ID links
 * (In-Reply-To, References nearest-first, and replies already stored that reference this message),
 * then — only for a subject with a reply/forward prefix — the same normalised subject with a shared
 * participant within a time window. Subject alone never joins: "Invoice" every month is not a thread.
 */

export interface ThreadInput {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  date: Date | null;
  /** Addresses of everyone on the message (from, to, cc, ...); compared case-insensitively. */
  participants: string[];
  gmailThreadId?: string | null;
  /** The raw source hash: keys a new thread for a message with no Message-ID at all. */
  contentHash?: string | null;
}

export interface SubjectCandidate {
  threadId: string;
  /** Participants of the thread's messages with this normalised subject. */
  participants: string[];
  /** Date of the latest such message. */
  date: Date | null;
}

export interface ThreadLookup {
  /**
   * Thread id for every Message-ID known to a thread: the ids of stored messages AND the ids they
   * reference, so a parent that arrives after its reply still finds the reply's thread.
   */
  messageIds: ReadonlyMap<string, string>;
  /** Thread id by X-GM-THRID. */
  gmailThreads?: ReadonlyMap<string, string>;
  /** Threads whose normalised subject equals this message's (see threadLookupKeys). */
  subjectCandidates?: readonly SubjectCandidate[];
}

export interface ThreadingOptions {
  /** How far apart in time a subject match may be; default 14 days. */
  subjectWindowMs?: number;
}

export type ThreadReason = 'gmail' | 'in-reply-to' | 'references' | 'replied-by' | 'subject';

export type ThreadDecision =
  | { kind: 'existing'; threadId: string; reason: ThreadReason }
  /** No known thread: create one under `threadKey` (stable, so a replay finds the same thread). */
  | { kind: 'new'; threadKey: string };

const DEFAULT_WINDOW_MS = 14 * 24 * 3600 * 1000;

// After NFKC, so a fullwidth colon (回复：) is already ':'. Counters like "Re[2]:" / "Re(2):" too.
const REPLY_PREFIX =
  /^(?:re|fwd?|aw|sv|wg|vs|antw|antwort|tr|rv|enc|odp|回复|回覆|答复|答覆|转发|轉發|转寄|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*/i;
const TAG_PREFIX = /^(?:\[[^\]]*\]|【[^】]*】)\s*/;

function stripPrefixes(subject: string): { rest: string; replied: boolean } {
  let s = subject.normalize('NFKC').replace(/\s+/g, ' ').trim();
  let replied = false;
  for (;;) {
    const reply = REPLY_PREFIX.exec(s);
    if (reply) {
      s = s.slice(reply[0].length);
      replied = true;
      continue;
    }
    const tag = TAG_PREFIX.exec(s);
    // A subject that is only a tag ("[URGENT]") keeps it: it is all there is to match on.
    if (tag && tag[0].length < s.length) {
      s = s.slice(tag[0].length);
      continue;
    }
    break;
  }
  s = s.replace(/\s*\((?:fwd|fw)\)\s*$/i, '');
  return { rest: s.trim(), replied };
}

/** Subject for comparison: reply/forward prefixes (Re:, Fwd:, 回复:, 转发:, 答复:, Aw:, Sv: ...) and [tags] stripped, lowercased. */
export function normaliseSubject(subject: string | null | undefined): string {
  return stripPrefixes(subject ?? '').rest.toLowerCase();
}

/** Whether the subject carries a reply or forward prefix. */
export function hasReplyPrefix(subject: string | null | undefined): boolean {
  return stripPrefixes(subject ?? '').replied;
}

const FORWARD_WORDS = /^(?:fwd?|wg|tr|rv|enc|转发|轉發|转寄|轉寄)/i;

/** Which kind of prefix the subject starts with (Re:, 回复：… a reply; Fwd:, Fw:, 转发：… a forward), by the same list. */
export function leadingPrefixKind(subject: string | null | undefined): 'reply' | 'forward' | null {
  const match = REPLY_PREFIX.exec((subject ?? '').normalize('NFKC').trim());
  if (!match) return null;
  return FORWARD_WORDS.test(match[0]) ? 'forward' : 'reply';
}

export function normaliseMessageId(id: string): string {
  const t = id.trim().replace(/^<|>$/g, '').trim();
  return t ? `<${t}>` : '';
}

/** What the store must look up before calling resolveThread. */
export function threadLookupKeys(input: ThreadInput): {
  messageIds: string[];
  gmailThreadId: string | null;
  normalisedSubject: string | null;
} {
  const ids = [input.inReplyTo, ...[...input.references].reverse(), input.messageId]
    .filter((x): x is string => !!x)
    .map(normaliseMessageId)
    .filter(Boolean);
  const subject = hasReplyPrefix(input.subject) ? normaliseSubject(input.subject) : '';
  return { messageIds: [...new Set(ids)], gmailThreadId: input.gmailThreadId ?? null, normalisedSubject: subject || null };
}

/** The key a new thread for this message is created under: Gmail's id, else the root Message-ID. */
export function threadKeyFor(input: ThreadInput): string {
  if (input.gmailThreadId) return `gm:${input.gmailThreadId}`;
  const root = [input.references[0], input.inReplyTo, input.messageId].map((x) => (x ? normaliseMessageId(x) : '')).find(Boolean);
  if (root) return `mid:${root}`;
  if (input.contentHash) return `sha:${input.contentHash}`;
  const people = [...new Set(input.participants.map((p) => p.toLowerCase()))].sort().join(',');
  return `subj:${createHash('sha256')
    .update(`${normaliseSubject(input.subject)}\n${people}`)
    .digest('hex')
    .slice(0, 32)}`;
}

export function resolveThread(input: ThreadInput, lookup: ThreadLookup, opts: ThreadingOptions = {}): ThreadDecision {
  if (input.gmailThreadId) {
    const id = lookup.gmailThreads?.get(input.gmailThreadId);
    if (id) return { kind: 'existing', threadId: id, reason: 'gmail' };
  }
  const linked: Array<[string | null, ThreadReason]> = [
    [input.inReplyTo, 'in-reply-to'],
    ...[...input.references].reverse().map((r): [string, ThreadReason] => [r, 'references']),
    [input.messageId, 'replied-by'],
  ];
  for (const [raw, reason] of linked) {
    if (!raw) continue;
    const id = lookup.messageIds.get(normaliseMessageId(raw));
    if (id) return { kind: 'existing', threadId: id, reason };
  }
  // Gmail's own thread id is authoritative for a new thread; subject guessing would only override it.
  if (!input.gmailThreadId) {
    const match = subjectMatch(input, lookup.subjectCandidates ?? [], opts.subjectWindowMs ?? DEFAULT_WINDOW_MS);
    if (match) return { kind: 'existing', threadId: match, reason: 'subject' };
  }
  return { kind: 'new', threadKey: threadKeyFor(input) };
}

function subjectMatch(input: ThreadInput, candidates: readonly SubjectCandidate[], windowMs: number): string | null {
  if (!input.date || !hasReplyPrefix(input.subject) || normaliseSubject(input.subject) === '') return null;
  const mine = new Set(input.participants.map((p) => p.toLowerCase()).filter(Boolean));
  let best: { id: string; distance: number } | null = null;
  for (const c of candidates) {
    if (!c.date) continue;
    const distance = Math.abs(c.date.getTime() - input.date.getTime());
    if (distance > windowMs) continue;
    if (!c.participants.some((p) => mine.has(p.toLowerCase()))) continue;
    if (!best || distance < best.distance) best = { id: c.threadId, distance };
  }
  return best?.id ?? null;
}
