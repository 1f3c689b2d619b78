/**
 * The outbox sender loop: takes due outbox rows under a lease and sends each once.
 *
 * Taking: one statement (`FOR UPDATE SKIP LOCKED`) takes rows that are queued and due, or 'sending'
 * with a lapsed lease (their process died), and marks them 'sending' for this holder; the lease is
 * renewed while the attempt runs, and every write of the attempt names the holder, so a worker that
 * lost its lease changes nothing. Several processes may run workers on one database.
 *
 * Phases, each committed before the step it names: connecting → connected (signed in) → transmitted
 * (the whole body is with the server and only the final go remains: SMTP's closing dot) → accepted
 * (the server said yes) → saved (the Sent copy is there) → state 'sent'. For a sender whose server
 * does not file its own Sent copy (savesSentCopy false), the copy is APPENDed to Sent (found by
 * Message-ID first, never twice) BEFORE 'transmitted' is committed and the go is given.
 *
 * Unclear ends. A row taken with phase 'transmitted' or later may have been accepted: its process died
 * between the go and the commit of 'accepted'. Sending again could double it, so the Sent folder is
 * asked for its Message-ID (nothing is created there):
 * - found: it was sent (the provider filed it, or our copy went in before the go): finish as sent,
 *   without sending again;
 * - not found, sender saves its own copy: the provider never took it: send again;
 * - not found, sender does not: the copy we append before every go is missing, so the go never
 *   happened: send again;
 * - Sent cannot be read: ask again later (temporary); past the retry budget fail with
 *   'send_outcome_unknown' and say so. Never send blindly.
 * A row taken with phase null, 'connecting' or 'connected' was not accepted: send again.
 * The one window this cannot see into: with savesSentCopy false, a death after 'transmitted' was
 * committed and before the closing dot left the process (microseconds, no network in between) counts
 * as sent; the design prefers that to ever sending twice. A failure after 'transmitted' with no server
 * answer (the connection dropped while waiting for the reply to the dot), or with a temporary answer
 * from a sender that files its own copy (Graph's 5xx), is an unclear end too.
 *
 * Failures: a temporary SendError requeues with backoff (30 s, 2 min, 10 min, 30 min, then hourly) until
 * ~24 h after the message was due ('send_gave_up'); a permanent one ends the row 'failed' with the
 * server's answer. A Sent copy we put in for a message the server then refused is taken out again, so
 * Sent shows only what was sent. Some recipients refused while others took it: 'sent', with the refused
 * addresses kept under 'recipients_rejected'.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from '../events/index.ts';
import { type BlobStore, parseMessage, type ParseResult } from '../ingest/index.ts';
import { claimLoop, type LeasedWorkerOptions, leaseHolder } from '../kernel/index.ts';
import { storeSentMessage } from '../store/sent-messages.ts';
import type { ConnectorFactory } from '../sync/connector-factory.ts';
import { changeMessage } from '../sync/message-commands.ts';
import { SendError, type SendFailureCode } from './errors.ts';
import { withCrlf } from './line-endings.ts';
import type { SenderFactory } from './sender-factory.ts';
import type { MailSender, SubmitResult } from './sender-types.ts';
import { type SentFolder, SentFolders } from './sent-folder.ts';
import type { OutboxRow, OutboxState, SendPhase } from './tables.ts';
import { testHold } from './test-hold.ts';

export interface OutboxWorkerOptions extends LeasedWorkerOptions {
  db: Kysely<Database>;
  events: EventBus;
  blobs: Pick<BlobStore, 'get' | 'put'>;
  connectorFor: ConnectorFactory;
  senderFor: SenderFactory;
  /** Default 60 s; renewed every third of it while an attempt runs. */
  leaseTtlMs?: number;
  /** Waits after successive temporary failures; the last repeats (default 30 s, 2, 10, 30 min, 1 h). */
  retryDelaysMs?: number[];
  /** Temporary failures stop being retried this long after the row was due (default 24 h). */
  giveUpAfterMs?: number;
  /** Parses the sent source for the stored message (default: in this thread). */
  parse?: (raw: Buffer) => Promise<ParseResult>;
}

export interface OutboxWorker {
  readonly holder: string;
  start(): void;
  /** Looks for due rows now. */
  wake(): void;
  /** Stops taking rows and waits for the attempts running. */
  stop(): Promise<void>;
}

const DEFAULT_DELAYS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000];
const UNCLEAR: ReadonlySet<SendPhase> = new Set(['transmitted', 'accepted', 'saved']);

/** An attempt's write found the row no longer ours (its lease lapsed and another worker took it). */
class LeaseLost extends Error {}

type Claimed = OutboxRow;

/** A row that leaves 'sending' for good: no phase, no lease, no next try. */
const SETTLED = { phase: null, lease_holder: null, lease_expires_at: null, next_attempt_at: null } as const;

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const holder = leaseHolder(opts);
  const ttl = opts.leaseTtlMs ?? 60_000;
  const delays = opts.retryDelaysMs ?? DEFAULT_DELAYS;
  const giveUpAfter = opts.giveUpAfterMs ?? 24 * 3_600_000;
  const parse = opts.parse ?? parseMessage;
  const { db, log, events } = opts;
  const sentFolders = new SentFolders({ db, connectorFor: opts.connectorFor });

  const emit = (row: Claimed, state: OutboxState) =>
    events.emit('outbox.updated', { outboxId: row.id, mailboxId: row.mailbox_id, userId: row.created_by, state });

  async function claim(limit: number): Promise<Claimed[]> {
    const res = await sql<Claimed>`
      with due as (
        select id from outbox_messages
        where (state = 'queued' and coalesce(next_attempt_at, send_at) <= now())
           or (state = 'sending' and lease_expires_at < now())
        order by coalesce(next_attempt_at, send_at)
        limit ${limit}
        for update skip locked
      )
      update outbox_messages o
      set state = 'sending', lease_holder = ${holder}, lease_expires_at = now() + ${ttl} * interval '1 millisecond',
          attempts = o.attempts + 1, updated_at = now()
      from due where o.id = due.id
      returning o.*`.execute(db);
    return res.rows;
  }

  /** Updates the row while it is still ours (in `on`, a transaction, when given); throws LeaseLost when it is not. */
  async function write(row: Claimed, set: Record<string, unknown>, on: Kysely<Database> | Transaction<Database> = db): Promise<void> {
    const res = await on
      .updateTable('outbox_messages')
      .set({ updated_at: new Date(), ...set })
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .where('lease_holder', '=', holder)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new LeaseLost(`outbox row ${row.id} is no longer held by this worker`);
  }

  const setPhase = (row: Claimed, phase: SendPhase) => write(row, { phase });

  function renewLease(row: Claimed): () => void {
    const t = setInterval(
      () => {
        void db
          .updateTable('outbox_messages')
          .set({ lease_expires_at: sql<Date>`now() + ${ttl} * interval '1 millisecond'` })
          .where('id', '=', row.id)
          .where('state', '=', 'sending')
          .where('lease_holder', '=', holder)
          .execute()
          .catch((err) => log.warn({ err, outboxId: row.id }, 'outbox lease renewal failed'));
      },
      Math.max(50, Math.floor(ttl / 3)),
    );
    return () => clearInterval(t);
  }

  function recipientsOf(row: Claimed): string[] {
    const all = [...row.to, ...row.cc, ...row.bcc].map((a) => a.address.trim());
    return [...new Set(all.filter(Boolean))];
  }

  /** When the next try goes, or null when the row has been retried long enough. */
  function nextTry(row: Claimed, retryAfterMs: number | null = null): Date | null {
    const due = new Date(row.send_at ?? row.created_at).getTime();
    // Never sooner than the server asked (Graph Retry-After, EWS BackOffMilliseconds).
    const wait = Math.max(delays[Math.min(Math.max(row.attempts - 1, 0), delays.length - 1)]!, retryAfterMs ?? 0);
    const at = Date.now() + wait;
    return at - due > giveUpAfter ? null : new Date(at);
  }

  /** The row leaves 'sending' for good as `state` (with `set`), and the audit log says how the send ended. */
  async function settle(
    row: Claimed,
    state: 'sent' | 'failed',
    set: Record<string, unknown>,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await write(row, { state, ...SETTLED, ...set }, trx);
      await recordAudit(trx, {
        actorUserId: row.created_by,
        action: state === 'sent' ? 'mail.send' : 'mail.send_failed',
        targetType: 'outbox_message',
        targetId: row.id,
        detail: { mailboxId: row.mailbox_id, recipients: recipientsOf(row).length, messageIdHeader: row.message_id_header, ...detail },
      });
    });
    emit(row, state);
  }

  async function finishSent(row: Claimed, raw: Buffer, result: SubmitResult | null): Promise<void> {
    const { message, blobs } = await parse(raw);
    // The source too: with its line endings mended it is not the blob compose stored.
    for (const b of blobs) await opts.blobs.put(b.bytes, b.sha256);
    const sentAt = new Date();
    const stored = await storeSentMessage(db, { mailboxId: row.mailbox_id, outboxId: row.id, parsed: message, sentAt });
    const rejected = result?.rejected ?? [];
    await settle(
      row,
      'sent',
      {
        sent_at: sentAt,
        sent_message_id: stored.id,
        last_error_code: rejected.length ? 'recipients_rejected' : null,
        last_error: rejected.length ? rejected.map((r) => `${r.address}: ${r.response}`).join('\n') : null,
        last_error_at: rejected.length ? sentAt : null,
        updated_at: sentAt,
      },
      { rejected: rejected.length, ...(result ? {} : { resolvedFromSent: true }) },
    );
    events.emit(stored.created ? 'message.created' : 'message.updated', { mailboxId: row.mailbox_id, messageId: stored.id });
    if ((row.kind === 'reply' || row.kind === 'reply_all') && row.source_message_id) {
      // \Answered on what was answered, where cheap; the send stands whatever happens here.
      await changeMessage({ db, connectorFor: opts.connectorFor, events }, row.source_message_id, { answered: true }).catch((err) =>
        log.debug({ err, outboxId: row.id }, 'could not mark the replied message answered'),
      );
    }
  }

  async function fail(row: Claimed, code: SendFailureCode, message: string): Promise<void> {
    const now = new Date();
    await settle(
      row,
      'failed',
      { last_error_code: code, last_error: message.slice(0, 2000), last_error_at: now, updated_at: now },
      { code },
    );
  }

  /** Back to 'queued' for a later try; `keepPhase`: an unclear end, to be resolved from Sent first. */
  async function requeue(row: Claimed, err: SendError, keepPhase: boolean, giveUpCode: SendFailureCode): Promise<void> {
    const at = nextTry(row, err.retryAfterMs);
    if (!at) {
      const why =
        giveUpCode === 'send_outcome_unknown'
          ? `Whether the message was sent could not be checked: the Sent folder could not be read (${err.message}). It was not sent again, to avoid sending it twice; look in Sent before sending it again.`
          : `Tried for too long without success; the last answer: ${err.message}`;
      await fail(row, giveUpCode, why);
      return;
    }
    await write(row, {
      state: 'queued',
      ...(keepPhase ? {} : { phase: null }),
      lease_holder: null,
      lease_expires_at: null,
      next_attempt_at: at,
      last_error_code: err.code,
      last_error: err.message.slice(0, 2000),
      last_error_at: new Date(),
    });
    emit(row, 'queued');
  }

  async function attempt(row: Claimed): Promise<void> {
    const stopRenewal = renewLease(row);
    let sender: MailSender | null = null;
    let sent: SentFolder | null = null;
    let appended = false;
    let transmitted = false;
    try {
      emit(row, 'sending');
      const mailbox = await db.selectFrom('mailboxes').selectAll().where('id', '=', row.mailbox_id).executeTakeFirstOrThrow();
      if (!row.raw_sha256) throw new SendError('send_rejected', 'The message has no source to send.', { temporary: false });
      const raw = withCrlf(await opts.blobs.get(row.raw_sha256));
      sender = await opts.senderFor(mailbox);
      sent = sentFolders.for(mailbox);
      if (row.phase && UNCLEAR.has(row.phase)) {
        let found: boolean;
        try {
          found = (await sent.find(row.message_id_header)).length > 0;
        } catch (cause) {
          const err = new SendError('send_outcome_unknown', `The Sent folder could not be read: ${(cause as Error).message}`, {
            temporary: true,
            cause,
          });
          await requeue(row, err, true, 'send_outcome_unknown');
          return;
        }
        if (found) {
          await finishSent(row, raw, null);
          return;
        }
        log.info({ outboxId: row.id }, 'an unclear send was not in Sent: sending it again');
      }
      await testHold('queued', row.id);
      await setPhase(row, 'connecting');
      const s = sender;
      const folder = sent;
      const result = await s.submit(
        { from: mailbox.email, recipients: recipientsOf(row), raw, messageIdHeader: row.message_id_header },
        {
          connected: async () => {
            await setPhase(row, 'connected');
            await testHold('connected', row.id);
          },
          beforeFinalGo: async () => {
            if (!s.savesSentCopy) appended = await folder.ensureCopy(row.message_id_header, raw, row.attempts === 1);
            await setPhase(row, 'transmitted');
            transmitted = true;
          },
        },
      );
      await testHold('transmitted', row.id);
      await setPhase(row, 'accepted');
      await testHold('accepted', row.id);
      if (!s.savesSentCopy && appended) await setPhase(row, 'saved');
      await finishSent(row, raw, result);
    } catch (caught) {
      if (caught instanceof LeaseLost) {
        log.warn({ outboxId: row.id }, caught.message);
        return;
      }
      const answered = caught instanceof SendError && caught.serverResponse !== null;
      const err =
        caught instanceof SendError
          ? caught
          : new SendError('send_temporary', `Sending stopped: ${(caught as Error)?.message ?? String(caught)}`, {
              temporary: true,
              cause: caught,
            });
      try {
        // Past the go, unclear: no answer heard (the connection dropped), or a temporary answer from a
        // server that files its own copy (Graph's 5xx may come after it took the message). Resolved from
        // Sent at the next try. With our own copy in Sent, an answer is definite: the dot was refused.
        if (transmitted && (!answered || (err.temporary && sender?.savesSentCopy))) {
          await requeue(row, err, true, 'send_outcome_unknown');
          return;
        }
        if (appended && sent) {
          // The server refused it: Sent shows only what was sent.
          await sent.remove(row.message_id_header).catch((e) => log.warn({ err: e, outboxId: row.id }, 'could not remove the Sent copy'));
        }
        if (err.temporary) await requeue(row, err, false, 'send_gave_up');
        else await fail(row, err.code, err.message);
      } catch (e) {
        if (!(e instanceof LeaseLost)) log.error({ err: e, outboxId: row.id }, 'outbox: could not record a failed attempt');
      }
    } finally {
      stopRenewal();
      await sender?.close().catch(() => undefined);
    }
  }

  const loop = claimLoop(opts, {
    claim,
    attempt,
    attemptFailed: (row) => [{ outboxId: row.id }, 'outbox attempt failed'],
    claimFailed: 'outbox: looking for due messages failed',
    wakeOn: (wake) =>
      events.on('outbox.updated', (e) => {
        if (e.state === 'queued') wake();
      }),
  });

  return {
    holder,
    start: loop.start,
    wake: loop.wake,
    async stop() {
      await loop.stop();
      await sentFolders.close();
    },
  };
}
