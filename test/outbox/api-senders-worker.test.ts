// Outbox rows of a Microsoft 365 (Graph) and an Exchange (EWS) mailbox go through the real worker: the
// sender factory picks sendMail / CreateItem, the server saves the one Sent copy itself, and an unclear
// end is resolved by findByMessageId on Sent Items instead of a second send.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { mailSenderFactory } from '../../src/outbox/sender-factory.ts';
import type { OutboxRow, OutboxState } from '../../src/outbox/tables.ts';
import { type OutboxWorker, startOutboxWorker } from '../../src/outbox/worker.ts';
import { mailConnectorFactory } from '../../src/sync/connector-factory.ts';
import { type EwsServerInstance, startEwsServer } from '../harness/index.ts';
import { databaseKinds } from '../support/database.ts';
import { insertEwsMailbox } from '../support/ews.ts';
import { bindGraphMailbox, type GraphWorld, startGraphWorld } from '../support/graph-mailbox.ts';
import { startSyncEnv, type SyncEnv } from '../support/sync-env.ts';
import { waitFor } from '../support/wait.ts';

const GRAPH_USER = 'megan@contoso.example';
const EWS_USER = 'ews-ann@contoso.test';
const EWS_PASSWORD = 'Ews-Ann-Pass-3';

describe.each(databaseKinds)('the outbox sends through Graph and EWS (%s)', (kind) => {
  let env: SyncEnv;
  let world: GraphWorld;
  let ews: EwsServerInstance;
  let graphMailboxId: string;
  let ewsMailboxId: string;
  let worker: OutboxWorker;

  const row = (id: string) => env.db.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function waitForState(id: string, state: OutboxState): Promise<OutboxRow> {
    let last: OutboxRow | undefined;
    await waitFor(`outbox row ${id} to be ${state}`, async () => {
      last = await row(id);
      if (last.state !== state) throw new Error(`state ${last.state}, phase ${last.phase}, ${last.last_error_code}: ${last.last_error}`);
      return true;
    });
    return last!;
  }

  /** A queued row as compose leaves it: Bcc out of the source, in the row. */
  async function queue(mailboxId: string, from: string, bcc: string[] = []) {
    const messageIdHeader = `<${randomBytes(8).toString('hex')}@tidings.test>`;
    const to = ['ann@customer.test'];
    const raw = await new MailComposer({
      from,
      to,
      bcc,
      subject: 'Quote',
      text: 'Hello Ann\r\n',
      messageId: messageIdHeader,
      date: new Date(),
    })
      .compile()
      .build();
    const sha = await env.services.blobs.put(raw);
    const addr = (list: string[]) => JSON.stringify(list.map((address) => ({ name: null, address })));
    const { id } = await env.db.db
      .insertInto('outbox_messages')
      .values({
        mailbox_id: mailboxId,
        created_by: env.adminId,
        state: 'queued',
        kind: 'new',
        message_id_header: messageIdHeader,
        from: JSON.stringify({ name: null, address: from }),
        to: addr(to),
        cc: '[]',
        bcc: addr(bcc),
        subject: 'Quote',
        attachments: '[]',
        raw_sha256: sha,
        raw_size: raw.length,
        send_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    env.services.events.emit('outbox.updated', { outboxId: id, mailboxId, userId: env.adminId, state: 'queued' });
    return { id, messageIdHeader, raw };
  }

  const graphSentItems = (messageIdHeader: string) =>
    world.graph.state(GRAPH_USER).filter((m) => m.folder === 'sentitems' && m.internetMessageId === messageIdHeader);
  const graphSent = (messageIdHeader: string) => world.graph.sent.filter((s) => s.raw.includes(messageIdHeader));
  const ewsSent = (messageIdHeader: string) => ews.sent.filter((s) => s.raw.includes(messageIdHeader));

  beforeAll(async () => {
    env = await startSyncEnv(kind);
    world = await startGraphWorld(GRAPH_USER);
    ews = await startEwsServer();
    ews.addUser({ email: EWS_USER, password: EWS_PASSWORD });
    const graph = await bindGraphMailbox(env.db.db, env.services.vault, world, { ownerUserId: env.adminId, email: GRAPH_USER });
    graphMailboxId = graph.mailboxId;
    ewsMailboxId = await insertEwsMailbox(env.db.db, env.services.vault, ews, {
      ownerUserId: env.adminId,
      email: EWS_USER,
      username: 'CONTOSO\\ews-ann',
      password: EWS_PASSWORD,
    });
    const deps = { vault: env.services.vault, tokens: graph.tokens, checkHost: async () => undefined };
    worker = startOutboxWorker({
      db: env.db.db,
      log: createLogger('warn'),
      events: env.services.events,
      blobs: env.services.blobs,
      connectorFor: mailConnectorFactory(deps),
      senderFor: mailSenderFactory(deps),
      leaseTtlMs: 3_000,
      pollMs: 200,
      retryDelaysMs: [200],
      giveUpAfterMs: 60_000,
    });
    worker.start();
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await ews?.stop();
    await world?.stop();
    await env?.close();
  });

  it('Graph: sendMail once with the Bcc named, one Sent Items copy, the row sent and stored', async () => {
    const q = await queue(graphMailboxId, GRAPH_USER, ['boss@ourco.test']);
    const done = await waitForState(q.id, 'sent');
    expect(graphSent(q.messageIdHeader)).toHaveLength(1);
    expect(graphSent(q.messageIdHeader)[0]!.raw.equals(Buffer.concat([Buffer.from('Bcc: boss@ourco.test\r\n'), q.raw]))).toBe(true);
    expect(graphSentItems(q.messageIdHeader)).toHaveLength(1);
    expect([done.attempts, done.last_error_code, done.phase]).toEqual([1, null, null]);
    expect(done.sent_message_id).not.toBeNull();
  });

  it('Graph: a cut after Graph took it is resolved from Sent Items, not sent again', async () => {
    world.graph.failNextSend({ drop: true });
    const q = await queue(graphMailboxId, GRAPH_USER);
    const done = await waitForState(q.id, 'sent');
    expect(graphSent(q.messageIdHeader)).toHaveLength(1);
    expect(graphSentItems(q.messageIdHeader)).toHaveLength(1);
    expect(done.attempts).toBe(2);
    const finds = world.graph.requests.filter((r) => r.method === 'GET' && r.path.includes('internetMessageId'));
    expect(finds.some((r) => decodeURIComponent(r.path).includes(q.messageIdHeader))).toBe(true);
  });

  it('Graph: a 429 is retried after Retry-After and sent once; a missing Mail.Send fails the row', async () => {
    world.graph.failNextSend({ status: 429, code: 'TooManyRequests', message: 'Please retry again later.', retryAfterSeconds: 1 });
    const q = await queue(graphMailboxId, GRAPH_USER);
    const done = await waitForState(q.id, 'sent');
    expect([done.attempts, graphSent(q.messageIdHeader).length, graphSentItems(q.messageIdHeader).length]).toEqual([2, 1, 1]);

    world.graph.failNextSend({ status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' });
    const denied = await queue(graphMailboxId, GRAPH_USER);
    const failed = await waitForState(denied.id, 'failed');
    expect(failed.last_error_code).toBe('send_auth_failed');
    expect(failed.last_error).toContain('Mail.Send');
    expect(graphSentItems(denied.messageIdHeader)).toEqual([]);
  });

  it('EWS: CreateItem SendAndSaveCopy once, one Sent Items copy; a cut is resolved from Sent Items', async () => {
    const q = await queue(ewsMailboxId, EWS_USER, ['boss@ourco.test']);
    const done = await waitForState(q.id, 'sent');
    expect(ewsSent(q.messageIdHeader)).toHaveLength(1);
    expect(ewsSent(q.messageIdHeader)[0]!.raw.equals(Buffer.concat([Buffer.from('Bcc: boss@ourco.test\r\n'), q.raw]))).toBe(true);
    expect(ews.state(EWS_USER, 'sentitems').filter((m) => m.messageId === q.messageIdHeader)).toHaveLength(1);
    expect([done.attempts, done.last_error_code]).toEqual([1, null]);

    ews.failNextSend({ drop: true });
    const cut = await queue(ewsMailboxId, EWS_USER);
    const resolved = await waitForState(cut.id, 'sent');
    expect(resolved.attempts).toBe(2);
    expect(ewsSent(cut.messageIdHeader)).toHaveLength(1);
    expect(ews.state(EWS_USER, 'sentitems').filter((m) => m.messageId === cut.messageIdHeader)).toHaveLength(1);
    expect(ews.requests.some((r) => r.operation === 'FindItem' && r.user === EWS_USER)).toBe(true);
  });

  it('EWS: ErrorServerBusy is retried; ErrorMessageSizeExceeded fails the row', async () => {
    ews.setBusy({ backOffMs: 300, times: 1, operation: 'CreateItem' });
    const q = await queue(ewsMailboxId, EWS_USER);
    const done = await waitForState(q.id, 'sent');
    expect([done.attempts, ewsSent(q.messageIdHeader).length]).toEqual([2, 1]);

    ews.failNextSend({ code: 'ErrorMessageSizeExceeded', message: 'The message exceeds the maximum supported size.' });
    const big = await queue(ewsMailboxId, EWS_USER);
    const failed = await waitForState(big.id, 'failed');
    expect(failed.last_error_code).toBe('send_too_large');
    expect(ewsSent(big.messageIdHeader)).toEqual([]);
  });
});
