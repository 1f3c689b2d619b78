// Sending through Exchange Web Services against the EWS harness: CreateItem SendAndSaveCopy carries the
// exact source (Bcc added for recipients the headers do not name), Sent Items holds it once,
// findByMessageId (FindItem on InternetMessageId) finds it by the ItemIds sync uses, and every refusal
// maps to the SendError the outbox acts on, without the password in it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEwsConnector } from '../../src/connectors/ews/index.ts';
import { createEwsSender } from '../../src/connectors/ews/ews-sender.ts';
import { ConnectorError } from '../../src/connectors/types.ts';
import { SendError } from '../../src/outbox/errors.ts';
import type { Submission, SubmitHooks } from '../../src/outbox/sender-types.ts';
import { type EwsSendFailure, type EwsServerInstance, startEwsServer } from '../harness/index.ts';
import { buildMessage } from '../support/message.ts';

const ANN = 'ann@contoso.test';
const BOB = 'bob@contoso.test';
const OUTSIDE = 'carol@fabrikam.example';
const HIDDEN = 'dave@fabrikam.example';
const PASSWORD = 'Ann-Secret-Pass-9';

let ews: EwsServerInstance;
let seq = 0;

function submission(opts: { bcc?: string[]; messageId?: string } = {}): Submission {
  seq += 1;
  const messageIdHeader = opts.messageId ?? `<ews-send-${seq}.${Date.now()}@tidings.test>`;
  const raw = buildMessage({
    from: `Ann <${ANN}>`,
    to: `Bob <${BOB}>`,
    cc: OUTSIDE,
    subject: `Quote ${seq} 报价`,
    messageId: messageIdHeader,
    text: `Hello ${seq}\n`,
    html: `<p>Hello ${seq}</p>`,
  });
  return { from: ANN, recipients: [BOB, OUTSIDE, ...(opts.bcc ?? [])], raw, messageIdHeader };
}

function recordingHooks(): SubmitHooks & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async connected() {
      calls.push('connected');
    },
    async beforeFinalGo() {
      calls.push(`beforeFinalGo sent=${ews.sent.length}`);
    },
  };
}

const settings = (over: { password?: string; url?: string } = {}) => ({
  url: over.url ?? ews.url,
  username: 'CONTOSO\\ann',
  password: over.password ?? PASSWORD,
  pinnedCertPem: null,
  extraCaPems: [ews.caPem],
  allowPlaintext: false,
});
const sender = (over: { password?: string; url?: string } = {}) => createEwsSender(settings(over));

const sentItems = (messageIdHeader: string) => ews.state(ANN, 'sentitems').filter((m) => m.messageId === messageIdHeader);
const createItems = () => ews.requests.filter((r) => r.operation === 'CreateItem');

async function failure(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendError);
  const e = err as SendError;
  expect(`${e.message} ${e.serverResponse} ${JSON.stringify(e)}`).not.toContain(PASSWORD);
  return e;
}

async function sendOk(sub: Submission) {
  const s = sender();
  try {
    return await s.submit(sub, recordingHooks());
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  ews = await startEwsServer();
  ews.addUser({ email: ANN, password: PASSWORD });
  ews.addUser({ email: BOB, password: 'Bob-Pass-1' });
}, 30_000);

afterAll(async () => {
  await ews?.stop();
});

beforeEach(() => {
  ews.failNextSend(null);
  ews.setBusy(null);
  ews.setUserState(ANN, {});
});

describe('EWS sender', () => {
  it('sends the exact source with SendAndSaveCopy; Sent Items keeps it once, a harness recipient gets it', async () => {
    const s = sender();
    const sub = submission();
    const hooks = recordingHooks();
    const before = ews.sent.length;
    const result = await s.submit(sub, hooks);
    await s.close();
    expect(result.rejected).toEqual([]);
    expect(result.response).toMatch(/^NoError/);
    expect(s.savesSentCopy).toBe(true);
    expect(hooks.calls).toEqual(['connected', `beforeFinalGo sent=${before}`]);
    expect(ews.sent.length).toBe(before + 1);
    const taken = ews.sent.at(-1)!;
    expect(taken.raw.equals(sub.raw)).toBe(true);
    expect(taken.recipients.sort()).toEqual([BOB, OUTSIDE].sort());
    expect(sentItems(sub.messageIdHeader)).toMatchObject([{ id: taken.savedItemId, isRead: true }]);
    expect(ews.state(BOB, 'inbox').filter((m) => m.messageId === sub.messageIdHeader)).toHaveLength(1);
    // Signed in first (GetFolder), then the one CreateItem on the same connection.
    const ops = ews.requests.filter((r) => r.user === ANN && r.status === 200).map((r) => r.operation);
    expect(ops.slice(-2)).toEqual(['GetFolder', 'CreateItem']);
  });

  it('names Bcc recipients in a Bcc header, which recipients do not see', async () => {
    const sub = submission({ bcc: [HIDDEN] });
    await sendOk(sub);
    const taken = ews.sent.at(-1)!;
    expect(taken.raw.equals(Buffer.concat([Buffer.from(`Bcc: ${HIDDEN}\r\n`), sub.raw]))).toBe(true);
    const bobCopy = ews.state(BOB, 'inbox').find((m) => m.messageId === sub.messageIdHeader)!;
    expect(ews.mailbox(BOB).findItem(bobCopy.id)!.mime.equals(sub.raw)).toBe(true);
  });

  it('findByMessageId finds the Sent Items copy by the ItemId sync lists, and nothing else', async () => {
    const quoted = submission({ messageId: `<o'neil&"co".${Date.now()}@tidings.test>` });
    const other = submission();
    await sendOk(quoted);
    await sendOk(other);
    const c = createEwsConnector(settings());
    const found = await c.findByMessageId('sentitems', quoted.messageIdHeader);
    expect(found).toEqual(sentItems(quoted.messageIdHeader).map((m) => m.id));
    expect(found).toHaveLength(1);
    // The same ids a sync of Sent Items gives.
    const sentFolder = (await c.listFolders()).find((f) => f.role === 'sent')!;
    const listed = await c.changesSince(sentFolder.id, null);
    expect(listed.added.map((r) => r.remoteId)).toContain(found[0]);
    expect(await c.findByMessageId(sentFolder.id, other.messageIdHeader)).toEqual(sentItems(other.messageIdHeader).map((m) => m.id));
    expect(await c.findByMessageId('sentitems', `<never-sent.${Date.now()}@tidings.test>`)).toEqual([]);
    expect(await c.findByMessageId('inbox', quoted.messageIdHeader)).toEqual([]);
    const gone = await c.findByMessageId('AAMkANoSuchFolder', other.messageIdHeader).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ConnectorError);
    expect((gone as ConnectorError).code).toBe('folder_not_found');
    await c.close();
  });

  const refusals: Array<[Extract<EwsSendFailure, { code: string }>, string, boolean]> = [
    [{ code: 'ErrorMessageSizeExceeded', message: 'The message exceeds the maximum supported size.' }, 'send_too_large', false],
    [{ code: 'ErrorQuotaExceeded', message: 'The mailbox has exceeded its quota.' }, 'send_quota_exceeded', false],
    [{ code: 'ErrorSendAsDenied', message: 'The user account does not have permission to send as the sender.' }, 'send_rejected', false],
    [{ code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' }, 'send_rejected', false],
    [{ code: 'ErrorMailboxStoreUnavailable', message: 'The mailbox database is temporarily unavailable.' }, 'send_temporary', true],
  ];

  it.each(refusals)('maps $code, tried once', async (fail, code, temporary) => {
    ews.failNextSend(fail);
    const sub = submission();
    const before = createItems().length;
    const s = sender();
    const e = await failure(s.submit(sub, recordingHooks()));
    await s.close();
    expect([e.code, e.temporary]).toEqual([code, temporary]);
    expect(e.serverResponse).toContain(fail.code);
    expect(createItems().length).toBe(before + 1);
    expect(sentItems(sub.messageIdHeader)).toEqual([]);
  });

  it('ErrorServerBusy is temporary with its BackOffMilliseconds, and not tried again here', async () => {
    ews.setBusy({ backOffMs: 4321, times: 1, operation: 'CreateItem' });
    const sub = submission();
    const before = createItems().length;
    const s = sender();
    const e = await failure(s.submit(sub, recordingHooks()));
    await s.close();
    expect([e.code, e.temporary, e.retryAfterMs]).toEqual(['send_temporary', true, 4321]);
    expect(createItems().length).toBe(before + 1);
    expect(sentItems(sub.messageIdHeader)).toEqual([]);
  });

  it('a wrong password or EWS switched off is send_auth_failed before anything is connected', async () => {
    const wrong = sender({ password: 'Not-The-Password' });
    const hooks = recordingHooks();
    const e = await failure(wrong.submit(submission(), hooks));
    await wrong.close();
    expect([e.code, e.temporary, hooks.calls]).toEqual(['send_auth_failed', false, []]);
    expect(e.message).not.toContain('Not-The-Password');
    ews.setUserState(ANN, { ewsDisabled: true });
    const off = sender();
    expect((await failure(off.submit(submission(), recordingHooks()))).code).toBe('send_auth_failed');
    await off.close();
  });

  it('an unclear end (cut after Exchange sent it) is temporary, and Sent Items tells it went', async () => {
    ews.failNextSend({ drop: true });
    const sub = submission();
    const s = sender();
    const e = await failure(s.submit(sub, recordingHooks()));
    await s.close();
    expect([e.code, e.temporary]).toEqual(['send_temporary', true]);
    const c = createEwsConnector(settings());
    expect(await c.findByMessageId('sentitems', sub.messageIdHeader)).toHaveLength(1);
    await c.close();
  });

  it('an unreachable server is temporary', async () => {
    const closed = sender({ url: 'https://127.0.0.1:1/EWS/Exchange.asmx' });
    const e = await failure(closed.submit(submission(), recordingHooks()));
    await closed.close();
    expect([e.code, e.temporary]).toEqual(['send_temporary', true]);
  });
});
