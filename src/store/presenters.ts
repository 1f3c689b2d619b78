import type { MessageDetail, MessageSummary } from './message-schemas.ts';
import type { AttachmentRow, MessageRow } from './tables.ts';
import type { MailAccess } from './visibility.ts';

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
    headerDate: iso(row.header_date),
    receivedAt: iso(row.received_at),
    loggedByUserId: row.logged_by_user_id,
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

/** A page of messages as the lists answer it, each cut to its reader's access. */
export function presentMessagePage(page: { items: Array<{ row: MessageRow; access: MailAccess }>; nextCursor: string | null }) {
  return { items: page.items.map((i) => presentSummary(i.row, i.access)), nextCursor: page.nextCursor };
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
