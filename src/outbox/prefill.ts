import type { Kysely } from 'kysely';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import { leadingPrefixKind, sanitizeComposedHtml } from '../ingest/index.ts';
import { NotFoundError } from '../kernel/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { messageAttachments, readMessage } from '../store/message-queries.ts';
import type { StoredAddress } from '../store/tables.ts';
import { cannotSendReason, maySendFrom, sendableMailboxes } from './access.ts';
import { OutboxError } from './errors.ts';
import type { Locale } from './failure-explanations.ts';

export type PrefillMode = 'reply' | 'reply_all' | 'forward';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** `Re: ` / `Fwd: ` unless the subject already starts with a prefix of that kind (Re:, RE:, 回复：, Fwd:, Fw:, 转发：…). */
export function prefixedSubject(subject: string | null, mode: PrefillMode): string {
  const s = (subject ?? '').trim();
  const want = mode === 'forward' ? 'forward' : 'reply';
  if (leadingPrefixKind(s) === want) return s;
  return `${want === 'forward' ? 'Fwd' : 'Re'}: ${s}`;
}

const formatAddress = (a: StoredAddress) => (a.name ? `${a.name} <${a.address}>` : a.address);

function formatDate(date: Date | null, locale: Locale): string {
  if (!date) return '';
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}

function attribution(date: Date | null, from: StoredAddress | undefined, locale: Locale): string {
  const name = from ? from.name || from.address : '';
  const when = formatDate(date, locale);
  return locale === 'zh-CN' ? `${when}，${name} 写道：` : `On ${when}, ${name} wrote:`;
}

const FORWARD_TEXT = {
  en: { title: '---------- Forwarded message ----------', from: 'From', date: 'Date', subject: 'Subject', to: 'To', cc: 'Cc' },
  'zh-CN': { title: '---------- 转发的邮件 ----------', from: '发件人', date: '日期', subject: '主题', to: '收件人', cc: '抄送' },
} as const;

/** Removes the user's own addresses and repeats, keeping the first spelling of each. */
function others(list: StoredAddress[], own: Set<string>): StoredAddress[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = a.address.toLowerCase();
    if (own.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The mailbox a reply goes out from: the message's own when the user may send from it, else their first one that can send. */
async function replyingMailbox(db: Kysely<Database>, user: User, mailboxId: string): Promise<MailboxRow> {
  const own = await db.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirst();
  if (own && (await maySendFrom(db, user, own)) && !cannotSendReason(own)) return own;
  const all = await sendableMailboxes(db, user);
  const first = all.find((m) => !cannotSendReason(m)) ?? all[0];
  if (!first) throw new OutboxError('send_not_allowed', 'You have no mailbox to send from.');
  return first;
}

/**
 * GET /messages/:id/compose: a reply, reply all or forward prefilled (nothing saved). The reader must be
 * able to read the whole message; a subject-only or metadata-only reader is told it does not exist, as
 * the raw source and attachments answer them.
 */
export async function composePrefill(db: Kysely<Database>, user: User, messageId: string, mode: PrefillMode, locale: Locale) {
  const found = await readMessage(db, user.id, messageId);
  if (found?.access !== 'full') throw new NotFoundError('message');
  const m = found.row;
  const mailbox = await replyingMailbox(db, user, m.mailbox_id);
  const ownRows = await db.selectFrom('mailboxes').select('email').where('owner_user_id', '=', user.id).execute();
  const own = new Set([user.email, ...ownRows.map((r) => r.email)].map((a) => a.toLowerCase()));

  let to: StoredAddress[] = [];
  let cc: StoredAddress[] = [];
  if (mode !== 'forward') {
    const fromIsMe = m.from.length > 0 && m.from.every((a) => own.has(a.address.toLowerCase()));
    // Replying to one's own sent message continues with its recipients.
    const author = fromIsMe ? m.to : m.reply_to.length ? m.reply_to : m.from;
    to = mode === 'reply_all' ? others([...author, ...m.to], own) : others(author, own);
    if (!to.length && fromIsMe) to = others(m.to, new Set());
    if (mode === 'reply_all') {
      const inTo = new Set(to.map((a) => a.address.toLowerCase()));
      cc = others(m.cc, new Set([...own, ...inTo]));
    }
  }

  const original = m.html_body ? sanitizeComposedHtml(m.html_body) : escapeHtml(m.text_body ?? '').replace(/\r?\n/g, '<br>');
  const signature = mailbox.signature_html ? `<div>-- <br>${sanitizeComposedHtml(mailbox.signature_html)}</div>` : '';
  let header: string;
  if (mode === 'forward') {
    const t = FORWARD_TEXT[locale];
    const line = (label: string, value: string) => (value ? `${label}: ${escapeHtml(value)}<br>` : '');
    header = `<p>${t.title}<br>${line(t.from, m.from.map(formatAddress).join(', '))}${line(t.date, formatDate(m.date, locale))}${line(
      t.subject,
      m.subject ?? '',
    )}${line(t.to, m.to.map(formatAddress).join(', '))}${line(t.cc, m.cc.map(formatAddress).join(', '))}</p>`;
  } else {
    header = `<p>${escapeHtml(attribution(m.date, m.from[0], locale))}</p>`;
  }
  const html = `<p><br></p>${signature}${header}<blockquote style="margin:0 0 0 0.8ex;border-left:1px solid #ccc;padding-left:1ex">${original}</blockquote>`;

  const attachments =
    mode === 'forward'
      ? (await messageAttachments(db, m.id)).map((a) => ({
          attachmentId: a.id,
          filename: a.filename,
          contentType: a.content_type,
          size: a.size,
        }))
      : [];
  return { mailboxId: mailbox.id, kind: mode, sourceMessageId: m.id, to, cc, subject: prefixedSubject(m.subject, mode), html, attachments };
}
