import { addressHeader, first, htmlToText, messageIds, parseDate, type RawHeaders, textHeader } from '../ingest/index.ts';
import { leafParts, type MimePart, partText, splitHeaderBody } from './mime-parts.ts';

/**
 * Delivery status notifications: RFC 3464 reports (multipart/report; report-type=delivery-status, RFC
 * 6522), their UTF-8 form (message/global-delivery-status, RFC 6533), qmail's plain-text bounces, and the
 * text bounces of QQ Mail and NetEase (退信 / 系统退信) as far as their text gives a recipient and an SMTP
 * code. Pure: bytes in, facts out; anything it cannot read with confidence is "not a DSN" (null).
 */

export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';
export type DsnShape = 'rfc3464' | 'qmail' | 'chinese-text';

export interface DsnRecipient {
  /** Lowercased address (Final-Recipient, else Original-Recipient). */
  recipient: string;
  originalRecipient: string | null;
  action: DsnAction;
  /** Enhanced status code, "5.1.1". */
  status: string | null;
  /** The remote server's answer without its type prefix ("550 5.1.1 User unknown"). */
  diagnostic: string | null;
  lastAttemptAt: Date | null;
}

export interface DsnReport {
  shape: DsnShape;
  reportingMta: string | null;
  arrivalAt: Date | null;
  /** The bounced message's Message-ID, "<id>", from the returned message or headers, else the report's In-Reply-To/References. */
  originalMessageId: string | null;
  recipients: DsnRecipient[];
}

/** Reports are read from their first bytes: the status part comes before the returned message. */
export const MAX_REPORT_BYTES = 2 * 1024 * 1024;
const MAX_RECIPIENTS = 200;
const MAX_DIAGNOSTIC_CHARS = 1000;
const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);
const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

export function parseDsn(raw: Buffer): DsnReport | null {
  try {
    const bytes = raw.length > MAX_REPORT_BYTES ? raw.subarray(0, MAX_REPORT_BYTES) : raw;
    const { top, leaves } = leafParts(bytes);
    const status = leaves.find((p) => STATUS_PARTS.has(p.type));
    if (status) return standardReport(top, leaves, status);
    return qmailReport(top, leaves) ?? chineseTextReport(top, leaves);
  } catch {
    return null;
  }
}

// ---- RFC 3464 ---------------------------------------------------------------------------------------

/** The delivery-status body: groups of header fields separated by empty lines, keys lowercased. */
export function statusGroups(text: string): Array<Map<string, string>> {
  const groups: Array<Map<string, string>> = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields = new Map<string, string>();
    let key: string | null = null;
    for (const line of block.split(/\r?\n/)) {
      if (/^[ \t]/.test(line) && key) {
        fields.set(key, `${fields.get(key)} ${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      key = line.slice(0, colon).trim().toLowerCase();
      if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
      else key = null; // a repeated field keeps its first value
    }
    if (fields.size) groups.push(fields);
  }
  return groups;
}

/** "rfc822; Ann@Example.com" → "ann@example.com"; utf-8 addresses may carry \x{HEX} escapes (RFC 6533). */
export function addressOf(value: string | undefined): string | null {
  if (!value) return null;
  const semicolon = value.indexOf(';');
  let address = (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim();
  address = address.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (_, hex: string) => {
    const code = Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
  address = address.replace(/^<|>$/g, '').trim().toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : null;
}

export function statusCodeOf(value: string | undefined | null): string | null {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(value ?? '')?.[1] ?? null;
}

function cleanDiagnostic(value: string | undefined | null): string | null {
  if (!value) return null;
  // "smtp; 550 …", "X-Postfix; …": the type names how to read it, the answer follows.
  const answer = value
    .replace(/^\s*[A-Za-z][\w-]*\s*;\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return answer ? answer.slice(0, MAX_DIAGNOSTIC_CHARS) : null;
}

function actionOf(value: string | undefined, status: string | null): DsnAction | null {
  const word = (value ?? '')
    .trim()
    .split(/[\s(;]/)[0]!
    .toLowerCase();
  if (ACTIONS.has(word)) return word as DsnAction;
  // A missing or invented action: the status class says enough.
  if (status?.startsWith('5')) return 'failed';
  if (status?.startsWith('4')) return 'delayed';
  if (status?.startsWith('2')) return 'delivered';
  return null;
}

function returnedMessageId(leaves: MimePart[]): string | null {
  const returned = leaves.find((p) => RETURNED_PARTS.has(p.type));
  if (!returned) return null;
  return messageIds(first(splitHeaderBody(returned.body).headers, 'message-id'))[0] ?? null;
}

/** In-Reply-To first (Exchange, NetEase set it to the bounced message), then the last reference. */
function referencedMessageId(headers: RawHeaders): string | null {
  const inReplyTo = messageIds(first(headers, 'in-reply-to'))[0];
  if (inReplyTo) return inReplyTo;
  const refs = (headers.get('references') ?? []).flatMap((v) => messageIds(v));
  return refs.at(-1) ?? null;
}

function standardReport(top: MimePart, leaves: MimePart[], status: MimePart): DsnReport | null {
  const groups = statusGroups(partText(status));
  const perMessage = new Map<string, string>();
  const recipients: DsnRecipient[] = [];
  for (const group of groups) {
    const recipient = addressOf(group.get('final-recipient')) ?? addressOf(group.get('original-recipient'));
    if (!recipient) {
      for (const [k, v] of group) if (!perMessage.has(k)) perMessage.set(k, v);
      continue;
    }
    const code = statusCodeOf(group.get('status'));
    const action = actionOf(group.get('action'), code);
    if (!action || recipients.length >= MAX_RECIPIENTS) continue;
    recipients.push({
      recipient,
      originalRecipient: addressOf(group.get('original-recipient')),
      action,
      status: code,
      diagnostic: cleanDiagnostic(group.get('diagnostic-code')),
      lastAttemptAt: parseDate(group.get('last-attempt-date') ?? null),
    });
  }
  if (!recipients.length) return null;
  return {
    shape: 'rfc3464',
    reportingMta: cleanDiagnostic(perMessage.get('reporting-mta')),
    arrivalAt: parseDate(perMessage.get('arrival-date') ?? null),
    originalMessageId:
      returnedMessageId(leaves) ?? messageIds(perMessage.get('x-original-message-id') ?? null)[0] ?? referencedMessageId(top.headers),
    recipients: dedupe(recipients),
  };
}

/** One line per recipient: a report naming an address twice keeps its first line (the table's key). */
function dedupe(recipients: DsnRecipient[]): DsnRecipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => !seen.has(r.recipient) && seen.add(r.recipient));
}

// ---- qmail ------------------------------------------------------------------------------------------

const QMAIL_COPY = /^--- Below this line is a copy of the (?:message|mail header)\.?\s*$/m;

/**
 * qmail-send's bounce: "Hi. This is the qmail-send program at …", then one paragraph per address,
 * `<addr>:` and the reason; the returned message follows "--- Below this line is a copy of the message."
 */
function qmailReport(top: MimePart, leaves: MimePart[]): DsnReport | null {
  const body = leaves.find((p) => p.type === 'text/plain');
  if (!body) return null;
  const text = partText(body);
  const intro = /^\s*Hi\. This is the qmail-send program at ([^\s.]+(?:\.[^\s.]+)*)/.exec(text);
  if (!intro || !/wasn't able to deliver your message/.test(text)) return null;
  const copy = QMAIL_COPY.exec(text);
  const report = copy ? text.slice(0, copy.index) : text;
  const permanent = /permanent error/i.test(report);
  const recipients: DsnRecipient[] = [];
  for (const m of report.matchAll(/^<([^<>\s]+@[^<>\s]+)>:\s*\r?\n([\s\S]*?)(?=\r?\n[ \t]*\r?\n|\r?\n<[^<>\s]+@[^<>\s]+>:|(?![\s\S]))/gm)) {
    if (recipients.length >= MAX_RECIPIENTS) break;
    const reason = m[2]!;
    const said = /Remote host said:\s*(.+)/.exec(reason)?.[1];
    const hash = /\(#(\d\.\d{1,3}\.\d{1,3})\)/.exec(reason)?.[1];
    const status = statusCodeOf(said) ?? hash ?? null;
    const diagnostic = cleanDiagnostic(said ?? reason.replace(/\s+/g, ' '));
    recipients.push({
      recipient: m[1]!.toLowerCase(),
      originalRecipient: null,
      action: permanent || status?.startsWith('5') ? 'failed' : 'delayed',
      status,
      diagnostic,
      lastAttemptAt: null,
    });
  }
  if (!recipients.length) return null;
  const returned = copy ? Buffer.from(text.slice(copy.index + copy[0].length).replace(/^\s*\n/, ''), 'utf8') : null;
  return {
    shape: 'qmail',
    reportingMta: intro[1]!,
    arrivalAt: null,
    originalMessageId:
      (returned ? messageIds(first(splitHeaderBody(returned).headers, 'message-id'))[0] : undefined) ??
      returnedMessageId(leaves) ??
      referencedMessageId(top.headers),
    recipients: dedupe(recipients),
  };
}

// ---- QQ Mail / NetEase text bounces -------------------------------------------------------------------

const CN_SUBJECT = /退信|退回|投递失败|未能送达|无法送达|发送失败/;
const MACHINE_SENDER = /^(postmaster|mailer-?daemon|mailerdaemon)@/i;

/**
 * 退信 from QQ Mail, 163/126 and their enterprise versions: HTML or text with "收件人：<address>" and the
 * remote server's answer. Only a machine sender with a bounce subject, one named recipient and an SMTP
 * reply code in the text count; the rest is not a DSN.
 */
function chineseTextReport(top: MimePart, leaves: MimePart[]): DsnReport | null {
  const subject = textHeader(top.headers, 'subject') ?? '';
  const from = addressHeader(top.headers, 'from')[0]?.address ?? '';
  if (!CN_SUBJECT.test(subject) || !MACHINE_SENDER.test(from)) return null;
  const body = leaves.find((p) => p.type === 'text/plain') ?? leaves.find((p) => p.type === 'text/html');
  if (!body) return null;
  const raw = partText(body);
  const text = body.type === 'text/html' ? htmlToText(raw) : raw;
  const recipient = /收件人\s*[：:]\s*<?([^\s<>@：:]+@[^\s<>：:]+?)>?(?=\s|$|[，。,;；])/.exec(text)?.[1]?.toLowerCase();
  if (!recipient) return null;
  // The reply code in the server's answer: "550 5.1.1 …", "550 Mailbox not found", "5.7.1 …".
  const answer = /(?:^|[\s：:(])([45]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3}))?\b[^\n]*/m.exec(text.slice(text.indexOf('收件人')));
  if (!answer) return null;
  const code = answer[1]!;
  const line = answer[0].replace(/^[\s：:(]/, '');
  return {
    shape: 'chinese-text',
    reportingMta: from.split('@')[1] ?? null,
    arrivalAt: null,
    originalMessageId: returnedMessageId(leaves) ?? referencedMessageId(top.headers),
    recipients: [
      {
        recipient,
        originalRecipient: null,
        action: code.startsWith('5') ? 'failed' : 'delayed',
        status: answer[2] ?? null,
        diagnostic: cleanDiagnostic(line),
        lastAttemptAt: null,
      },
    ],
  };
}
