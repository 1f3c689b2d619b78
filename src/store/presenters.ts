import type { AttachmentRow, MessageRow, StoredAddress } from './tables.ts';
import type { MailAccess } from './visibility.ts';

/** The only shapes of mail that leave the API, cut to what the reader's access allows. */
export interface MessageSummary {
  id: string;
  mailboxId: string;
  threadId: string | null;
  access: MailAccess;
  date: string | null;
  from: StoredAddress[];
  to: StoredAddress[];
  cc: StoredAddress[];
  subject: string | null;
  snippet: string | null;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  hasAttachments: boolean | null;
  /** null for metadata-only readers: a size is neither who nor when. */
  size: number | null;
  /**
   * Gmail labels (user labels and \\Important); [] elsewhere and for anyone who does not read the mailbox
   * in full: like the owner's folder names, labels say how the owner files the mail.
   */
  labels: string[];
}

export interface MessageDetail extends MessageSummary {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  bcc: StoredAddress[];
  replyTo: StoredAddress[];
  participants: string[];
  text: string | null;
  html: string | null;
  parseError: string | null;
  /** The HTML body was too big to show: read `text`, or download the original. */
  htmlTooBig: boolean;
  /** The message was over the size cap: only its headers were fetched; open it in a mail client. */
  tooLarge: boolean;
  listId: string | null;
  listUnsubscribe: string | null;
  folders: Array<{ id: string; name: string; role: string | null }>;
  attachments: Array<{ id: string; filename: string | null; contentType: string; size: number; inline: boolean; contentId: string | null }>;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The addresses anyone who sees the message may see: Bcc and Reply-To are the owner's (and full readers'). */
const visibleParticipants = (row: MessageRow) => [
  ...new Set([...row.from, ...row.to, ...row.cc].map((a) => a.address.trim().toLowerCase()).filter(Boolean)),
];

export function presentSummary(row: MessageRow, access: MailAccess): MessageSummary {
  const subject = access !== 'metadata';
  return {
    id: row.id,
    mailboxId: row.mailbox_id,
    threadId: row.thread_id,
    access,
    date: iso(row.date),
    from: row.from,
    to: row.to,
    cc: row.cc,
    subject: subject ? row.subject : null,
    snippet: access === 'full' ? row.snippet : null,
    seen: row.seen,
    flagged: row.flagged,
    answered: row.answered,
    draft: row.draft,
    hasAttachments: subject ? row.has_attachments : null,
    size: subject ? row.size : null,
    labels: access === 'full' ? (row.labels ?? []) : [],
  };
}

export function presentDetail(
  row: MessageRow,
  access: MailAccess,
  folders: MessageDetail['folders'],
  attachments: AttachmentRow[],
): MessageDetail {
  const full = access === 'full';
  // Header details beyond who and when (ids naming the sender's systems, Reply-To, the owner's folder
  // names) are full content: see docs/visibility.md.
  return {
    ...presentSummary(row, access),
    messageId: full ? row.message_id_header : null,
    inReplyTo: full ? row.in_reply_to : null,
    references: full ? row.references : [],
    bcc: full ? row.bcc : [],
    replyTo: full ? row.reply_to : [],
    participants: full ? row.participants : visibleParticipants(row),
    text: full ? row.text_body : null,
    html: full ? row.html_body : null,
    parseError: full ? row.parse_error : null,
    htmlTooBig: full && row.html_too_big,
    tooLarge: full && row.too_large,
    listId: full ? row.list_id : null,
    listUnsubscribe: full ? row.list_unsubscribe : null,
    folders: full ? folders : [],
    attachments: full
      ? attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          contentType: a.content_type,
          size: a.size,
          inline: a.inline,
          contentId: a.content_id,
        }))
      : [],
  };
}
