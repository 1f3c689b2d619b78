import type { Kysely, Transaction } from 'kysely';
import { type Actor, auditedWrite } from '../audit/index.ts';
import type { User } from '../auth/tables.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { type BlobStore, htmlToText, sanitizeComposedHtml } from '../ingest/index.ts';
import { sha256Hex } from '../ingest/blob-store.ts';
import { NotFoundError } from '../kernel/index.ts';
import type { MailboxRow } from '../mailboxes/tables.ts';
import { readAttachment, readMessage } from '../store/message-queries.ts';
import type { StoredAddress } from '../store/tables.ts';
import { loadSendingMailbox } from './access.ts';
import { OutboxError } from './errors.ts';
import { checkedAddresses, checkedSubject, cleanMessageId, replyReferences } from './headers.ts';
import { assertQuota, assertSize, sendingLimits } from './limits.ts';
import { fieldsIn } from './merge.ts';
import { mintMessageId } from './message-id.ts';
import { buildMime } from './mime.ts';
import type { ComposeKind, OutboxAttachment, OutboxRow, RecordType } from './tables.ts';

export interface OutboxDeps {
  db: Kysely<Database>;
  blobs: BlobStore;
  events?: EventBus | undefined;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** An upload, a readable message's attachment (forwarding), or one this draft already holds (by its hash). */
export type AttachmentRef = { uploadId: string } | { attachmentId: string } | { sha256: string };

/** What the compose form sends (the API's composeInput, without `send` and its timing). */
export interface ComposeFields {
  mailboxId: string;
  kind: ComposeKind;
  sourceMessageId?: string | null | undefined;
  record?: { type: RecordType; id: string } | null | undefined;
  templateId?: string | null | undefined;
  to: Array<{ name?: string | null | undefined; address: string }>;
  cc: Array<{ name?: string | null | undefined; address: string }>;
  bcc: Array<{ name?: string | null | undefined; address: string }>;
  subject: string;
  html: string;
  attachments: AttachmentRef[];
}

export interface SendTiming {
  /** Not before this time (scheduled send); else now + undoSeconds. */
  sendAt?: string | null | undefined;
  /** The undo window, default 10 s. */
  undoSeconds?: number | undefined;
}

export const DEFAULT_UNDO_SECONDS = 10;
/** A scheduled time this far in the past is taken as "now" (clocks differ a little). */
const SEND_AT_SKEW_MS = 60_000;

const nowOf = (deps: OutboxDeps) => deps.now?.() ?? new Date();
const addresses = (list: ComposeFields['to']): StoredAddress[] => list.map((a) => ({ name: a.name ?? null, address: a.address }));
const fromOf = (mailbox: MailboxRow): StoredAddress => ({ name: mailbox.display_name, address: mailbox.email });

function announce(deps: OutboxDeps, row: Pick<OutboxRow, 'id' | 'mailbox_id' | 'created_by' | 'state'>): void {
  deps.events?.emit('outbox.updated', { outboxId: row.id, mailboxId: row.mailbox_id, userId: row.created_by, state: row.state });
}

/** The caller's own outbox row (others' rows do not exist for them). */
export async function loadOwnOutbox(db: Kysely<Database> | Transaction<Database>, user: User, id: string): Promise<OutboxRow> {
  const row = await db.selectFrom('outbox_messages').selectAll().where('id', '=', id).where('created_by', '=', user.id).executeTakeFirst();
  if (!row) throw new NotFoundError('outbox message');
  return row;
}

/** Attachment references as files of the row: uploads only by their uploader, a message's only for a full reader. */
async function resolveAttachments(
  db: Kysely<Database>,
  user: User,
  refs: AttachmentRef[],
  held: OutboxAttachment[],
): Promise<OutboxAttachment[]> {
  const out: OutboxAttachment[] = [];
  for (const ref of refs) {
    if ('sha256' in ref) {
      const kept = held.find((a) => a.sha256 === ref.sha256);
      if (!kept) throw new NotFoundError('attachment');
      out.push(kept);
    } else if ('uploadId' in ref) {
      const up = await db
        .selectFrom('outbox_uploads')
        .selectAll()
        .where('id', '=', ref.uploadId)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (!up) throw new NotFoundError('upload');
      out.push({ sha256: up.sha256, filename: up.filename, contentType: up.content_type, size: up.size });
    } else {
      const found = await readAttachment(db, user.id, ref.attachmentId);
      if (found?.access !== 'full') throw new NotFoundError('attachment');
      const a = found.attachment;
      out.push({ sha256: a.sha256, filename: a.filename ?? 'attachment', contentType: a.content_type, size: a.size });
    }
  }
  return out;
}

/** Threading of a reply (In-Reply-To, References) from a source the user may read in full. */
async function threadingOf(
  db: Kysely<Database>,
  user: User,
  kind: ComposeKind,
  sourceMessageId: string | null | undefined,
): Promise<{ sourceId: string | null; inReplyTo: string | null; references: string[] }> {
  if (!sourceMessageId) return { sourceId: null, inReplyTo: null, references: [] };
  const found = await readMessage(db, user.id, sourceMessageId);
  if (found?.access !== 'full') throw new NotFoundError('message');
  if (kind !== 'reply' && kind !== 'reply_all') return { sourceId: found.row.id, inReplyTo: null, references: [] };
  const parent = cleanMessageId(found.row.message_id_header);
  return { sourceId: found.row.id, inReplyTo: parent, references: replyReferences(found.row.references, parent) };
}

const RECORD_TABLES = { contact: 'contacts', company: 'companies', deal: 'deals' } as const;

/** The CRM record a message is written from must exist (CRM records are readable by every user). */
async function assertRecord(db: Kysely<Database>, record: ComposeFields['record']): Promise<void> {
  if (!record) return;
  const found = await db.selectFrom(RECORD_TABLES[record.type]).select('id').where('id', '=', record.id).executeTakeFirst();
  if (!found) throw new NotFoundError(record.type);
}

/** The row's columns from compose fields (HTML sanitized, its plain-text alternative made from it). */
async function columnsOf(db: Kysely<Database>, user: User, mailbox: MailboxRow, f: ComposeFields, held: OutboxAttachment[] = []) {
  await assertRecord(db, f.record);
  const threading = await threadingOf(db, user, f.kind, f.sourceMessageId);
  const html = sanitizeComposedHtml(f.html);
  return {
    mailbox_id: mailbox.id,
    kind: f.kind,
    source_message_id: threading.sourceId,
    in_reply_to: threading.inReplyTo,
    references: threading.references,
    record_type: f.record?.type ?? null,
    record_id: f.record?.id ?? null,
    template_id: f.templateId ?? null,
    from: JSON.stringify(fromOf(mailbox)),
    to: JSON.stringify(addresses(f.to)),
    cc: JSON.stringify(addresses(f.cc)),
    bcc: JSON.stringify(addresses(f.bcc)),
    subject: f.subject,
    html_body: html,
    text_body: htmlToText(html),
    attachments: JSON.stringify(await resolveAttachments(db, user, f.attachments, held)),
  };
}

const normalised = (html: string) => html.replace(/\s+/g, ' ').trim();

/**
 * The signature goes under a message that does not have it yet. The compose prefill and the compose
 * form put it in already (above a quote), so a message whose HTML contains the mailbox's signature is
 * left as it is; one without it (written through the API, or a signature removed from the form) gets it
 * appended. To send without a signature, clear it on the mailbox.
 */
export function withSignature(html: string, signature: string | null): string {
  const sig = sanitizeComposedHtml(signature ?? '');
  if (!normalised(sig) || normalised(html).includes(normalised(sig))) return html;
  return `${html}<br><div>-- <br>${sig}</div>`;
}

interface Prepared {
  from: StoredAddress;
  subject: string;
  html: string;
  text: string;
  rawSha256: string;
  rawSize: number;
  sendAt: Date;
  recipients: number;
  attachments: number;
}

/** Everything sending checks, then the MIME built and stored as a blob: the row only has to point at it. */
async function prepareSend(
  deps: OutboxDeps,
  mailbox: MailboxRow,
  row: Pick<
    OutboxRow,
    'message_id_header' | 'in_reply_to' | 'references' | 'to' | 'cc' | 'bcc' | 'subject' | 'html_body' | 'attachments'
  > & {
    /** The row being queued (absent for one made and queued at once): left out of the quota count. */
    id?: string;
  },
  timing: SendTiming,
): Promise<Prepared> {
  const now = nowOf(deps);
  const to = checkedAddresses(row.to, 'to');
  const cc = checkedAddresses(row.cc, 'cc');
  const bcc = checkedAddresses(row.bcc, 'bcc');
  const recipients = to.length + cc.length + bcc.length;
  if (recipients === 0) throw new OutboxError('no_recipients', 'Add at least one recipient.');
  const subject = checkedSubject(row.subject);
  const unresolved = fieldsIn(subject, row.html_body);
  if (unresolved.length)
    throw new OutboxError('merge_fields_unresolved', `Fill in or remove ${unresolved.map((f) => `{{${f}}}`).join(', ')} before sending.`, {
      details: { fields: unresolved },
    });
  let sendAt = new Date(now.getTime() + (timing.undoSeconds ?? DEFAULT_UNDO_SECONDS) * 1000);
  if (timing.sendAt) {
    const at = new Date(timing.sendAt);
    if (at.getTime() < now.getTime() - SEND_AT_SKEW_MS) throw new OutboxError('send_at_in_past', 'The scheduled time has passed.');
    sendAt = at.getTime() < now.getTime() ? now : at;
  }
  const limits = sendingLimits(mailbox);
  // Cheap refusal first: the attachments alone may already be over the limit, before any is read.
  assertSize(
    limits,
    row.attachments.reduce((n, a) => n + a.size, 0),
  );
  await assertQuota(deps.db, limits, mailbox.id, recipients, now, row.id);

  const html = withSignature(row.html_body, mailbox.signature_html);
  const text = htmlToText(html);
  const from = fromOf(mailbox);
  const attachments = await Promise.all(row.attachments.map(async (a) => ({ ...a, content: await deps.blobs.get(a.sha256) })));
  const raw = await buildMime({
    from,
    to,
    cc,
    subject,
    date: sendAt,
    messageId: row.message_id_header,
    inReplyTo: row.in_reply_to,
    references: row.references,
    html,
    text,
    attachments,
  });
  assertSize(limits, raw.length);
  const rawSha256 = await deps.blobs.put(raw, sha256Hex(raw));
  return { from, subject, html, text, rawSha256, rawSize: raw.length, sendAt, recipients, attachments: attachments.length };
}

function queueAudit(id: string, p: Prepared, scheduled: boolean) {
  // Counts, never addresses or bodies.
  return {
    action: 'mail.queue',
    targetType: 'outbox_message',
    targetId: id,
    detail: { recipients: p.recipients, attachments: p.attachments, sizeBytes: p.rawSize, scheduled },
  };
}

const queuedColumns = (p: Prepared) => ({
  state: 'queued' as const,
  from: JSON.stringify(p.from),
  html_body: p.html,
  text_body: p.text,
  raw_sha256: p.rawSha256,
  raw_size: p.rawSize,
  send_at: p.sendAt,
  phase: null,
  next_attempt_at: null,
  lease_holder: null,
  lease_expires_at: null,
  updated_at: new Date(),
});

/** POST /outbox: a new draft, or (send) a message queued at once. The Message-ID is minted here, once. */
export async function createOutbox(
  deps: OutboxDeps,
  actor: Actor,
  input: ComposeFields & SendTiming & { send: boolean },
): Promise<OutboxRow> {
  const mailbox = await loadSendingMailbox(deps.db, actor.user, input.mailboxId, { draft: !input.send });
  const columns = await columnsOf(deps.db, actor.user, mailbox, input);
  const messageId = mintMessageId(mailbox.email);
  const prepared = input.send
    ? await prepareSend(
        deps,
        mailbox,
        {
          message_id_header: messageId,
          in_reply_to: columns.in_reply_to,
          references: columns.references,
          to: JSON.parse(columns.to),
          cc: JSON.parse(columns.cc),
          bcc: JSON.parse(columns.bcc),
          subject: columns.subject,
          html_body: columns.html_body,
          attachments: JSON.parse(columns.attachments),
        },
        input,
      )
    : null;
  const row = await auditedWrite(deps.db, actor, async (trx) => {
    const inserted = await trx
      .insertInto('outbox_messages')
      .values({ ...columns, created_by: actor.user.id, message_id_header: messageId, ...(prepared && queuedColumns(prepared)) })
      .returningAll()
      .executeTakeFirstOrThrow();
    const audit = prepared
      ? queueAudit(inserted.id, prepared, Boolean(input.sendAt))
      : { action: 'mail.draft', targetType: 'outbox_message', targetId: inserted.id };
    return { result: inserted, audit };
  });
  announce(deps, row);
  return row;
}

/**
 * PATCH /outbox/:id (autosave): changes a draft; a failed message edited goes back to being a draft.
 * Not audited: the form saves every few seconds, and nothing leaves until it is queued (audited).
 */
export async function updateDraft(deps: OutboxDeps, actor: Actor, id: string, input: Partial<ComposeFields>): Promise<OutboxRow> {
  const current = await loadOwnOutbox(deps.db, actor.user, id);
  if (current.state !== 'draft' && current.state !== 'failed')
    throw new OutboxError('outbox_state_conflict', `A ${current.state} message cannot be edited; undo it first.`, {
      details: { state: current.state },
    });
  const mailbox = await loadSendingMailbox(deps.db, actor.user, input.mailboxId ?? current.mailbox_id, { draft: true });
  const merged: ComposeFields = {
    mailboxId: mailbox.id,
    kind: input.kind ?? current.kind,
    sourceMessageId: input.sourceMessageId !== undefined ? input.sourceMessageId : current.source_message_id,
    record:
      input.record !== undefined
        ? input.record
        : current.record_type && current.record_id
          ? { type: current.record_type, id: current.record_id }
          : null,
    templateId: input.templateId !== undefined ? input.templateId : current.template_id,
    to: input.to ?? current.to,
    cc: input.cc ?? current.cc,
    bcc: input.bcc ?? current.bcc,
    subject: input.subject ?? current.subject,
    html: input.html ?? current.html_body,
    attachments: input.attachments ?? [],
  };
  const { attachments, ...columns } = await columnsOf(deps.db, actor.user, mailbox, merged, current.attachments);
  const files = input.attachments ? attachments : JSON.stringify(current.attachments);
  const updated = await deps.db
    .updateTable('outbox_messages')
    .set({ ...columns, attachments: files, state: 'draft', raw_sha256: null, raw_size: null, send_at: null, updated_at: new Date() })
    .where('id', '=', id)
    .where('state', '=', current.state)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new OutboxError('outbox_state_conflict', 'The message changed state meanwhile.');
  if (current.state !== 'draft') announce(deps, updated);
  return updated;
}

/** POST /outbox/:id/send: a draft or a failed message checked, built and queued. */
export async function queueOutbox(deps: OutboxDeps, actor: Actor, id: string, timing: SendTiming): Promise<OutboxRow> {
  const current = await loadOwnOutbox(deps.db, actor.user, id);
  if (current.state !== 'draft' && current.state !== 'failed')
    throw new OutboxError('outbox_state_conflict', `A ${current.state} message cannot be sent again.`, {
      details: { state: current.state },
    });
  const mailbox = await loadSendingMailbox(deps.db, actor.user, current.mailbox_id);
  const prepared = await prepareSend(deps, mailbox, current, timing);
  const row = await auditedWrite(deps.db, actor, async (trx) => {
    // Conditional: an autosave or another send that came in meanwhile wins, and this one is refused.
    const updated = await trx
      .updateTable('outbox_messages')
      .set({ ...queuedColumns(prepared), last_error_code: null, last_error: null, last_error_at: null })
      .where('id', '=', id)
      .where('state', '=', current.state)
      // The database keeps microseconds, a Date milliseconds: "unchanged" is "within that millisecond".
      .where('updated_at', '>=', current.updated_at)
      .where('updated_at', '<', new Date(current.updated_at.getTime() + 1))
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new OutboxError('outbox_state_conflict', 'The message changed meanwhile; try again.');
    return { result: updated, audit: queueAudit(id, prepared, Boolean(timing.sendAt)) };
  });
  announce(deps, row);
  return row;
}

/**
 * POST /outbox/:id/undo: a queued message no sender has taken goes back to being a draft. The condition is
 * in the UPDATE itself, so a sender that takes the row at the same moment wins and undo is refused.
 * A row retried after an attempt that reached the server (phase transmitted or later) is not undone.
 */
export async function undoOutbox(deps: OutboxDeps, actor: Actor, id: string): Promise<OutboxRow> {
  await loadOwnOutbox(deps.db, actor.user, id);
  const row = await auditedWrite(deps.db, actor, async (trx) => {
    const updated = await trx
      .updateTable('outbox_messages')
      .set({ state: 'draft', raw_sha256: null, raw_size: null, send_at: null, next_attempt_at: null, phase: null, updated_at: new Date() })
      .where('id', '=', id)
      .where('created_by', '=', actor.user.id)
      .where('state', '=', 'queued')
      .where((eb) => eb.or([eb('phase', 'is', null), eb('phase', 'in', ['connecting', 'connected'])]))
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new OutboxError('outbox_state_conflict', 'Too late to undo: the message is being sent or has left.');
    return { result: updated, audit: { action: 'mail.undo', targetType: 'outbox_message', targetId: id } };
  });
  announce(deps, row);
  return row;
}

/** DELETE /outbox/:id: a draft is removed; a queued (not yet taken) or failed message is cancelled. */
export async function deleteOutbox(deps: OutboxDeps, actor: Actor, id: string): Promise<void> {
  const current = await loadOwnOutbox(deps.db, actor.user, id);
  const row = await auditedWrite(deps.db, actor, async (trx) => {
    if (current.state === 'draft') {
      const gone = await trx
        .deleteFrom('outbox_messages')
        .where('id', '=', id)
        .where('state', '=', 'draft')
        .returningAll()
        .executeTakeFirst();
      if (!gone) throw new OutboxError('outbox_state_conflict', 'The message changed state meanwhile.');
      return { result: null, audit: { action: 'mail.draft_delete', targetType: 'outbox_message', targetId: id } };
    }
    const cancelled = await trx
      .updateTable('outbox_messages')
      .set({ state: 'cancelled', updated_at: new Date() })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('state', '=', 'failed'),
          eb.and([eb('state', '=', 'queued'), eb.or([eb('phase', 'is', null), eb('phase', 'in', ['connecting', 'connected'])])]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    if (!cancelled)
      throw new OutboxError('outbox_state_conflict', `A ${current.state} message cannot be cancelled.`, {
        details: { state: current.state },
      });
    return { result: cancelled, audit: { action: 'mail.cancel', targetType: 'outbox_message', targetId: id } };
  });
  if (row) announce(deps, row);
}
