// Sending through Microsoft Graph against the Graph harness: sendMail takes the exact source (Bcc added
// for recipients the headers do not name), Sent Items holds it once, findByMessageId finds it and nothing
// else, and every refusal maps to the SendError the outbox acts on, without the token in it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphConnector } from '../../src/connectors/graph/index.ts';
import { createGraphSender, GRAPH_MAX_REQUEST_BYTES, GRAPH_MAX_SOURCE_BYTES } from '../../src/connectors/graph/graph-sender.ts';
import { ConnectorError } from '../../src/connectors/types.ts';
import { SendError } from '../../src/outbox/errors.ts';
import { withBccHeader } from '../../src/outbox/bcc-header.ts';
import { sendingLimits } from '../../src/outbox/limits.ts';
import type { Submission, SubmitHooks } from '../../src/outbox/sender-types.ts';
import { GRAPH_MAIL_SCOPE, type GraphSendFailure } from '../harness/index.ts';
import { GRAPH_SCOPES, type GraphWorld, startGraphWorld } from '../support/graph-mailbox.ts';
import { buildMessage } from '../support/message.ts';

const ANN = 'ann@contoso.example';
const BOB = 'bob@contoso.example';
const OUTSIDE = 'carol@fabrikam.example';
const HIDDEN = 'dave@fabrikam.example';

let world: GraphWorld;
let token: string;
let seq = 0;

function submission(opts: { bcc?: string[]; messageId?: string } = {}): Submission {
  seq += 1;
  const messageIdHeader = opts.messageId ?? `<graph-send-${seq}.${Date.now()}@tidings.test>`;
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
      // The worker commits 'transmitted' here: nothing may have reached Graph yet.
      calls.push(`beforeFinalGo sent=${world.graph.sent.length}`);
    },
  };
}

const sender = (over: Partial<Parameters<typeof createGraphSender>[0]> = {}) =>
  createGraphSender({
    baseUrl: world.graph.baseUrl,
    user: 'me',
    getAccessToken: async () => token,
    pinnedCertPem: null,
    extraCaPems: [world.graph.caPem as string],
    ...over,
  });

const connector = () =>
  createGraphConnector({
    baseUrl: world.graph.baseUrl,
    user: 'me',
    getAccessToken: async () => token,
    pinnedCertPem: null,
    extraCaPems: [world.graph.caPem as string],
  });

const sentItems = (messageIdHeader: string) =>
  world.graph.state(ANN).filter((m) => m.folder === 'sentitems' && m.internetMessageId === messageIdHeader);
const sendRequests = () => world.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sendMail'));

async function failure(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendError);
  const e = err as SendError;
  // The bearer token is a secret: never in what the outbox stores or shows.
  expect(`${e.message} ${e.serverResponse} ${JSON.stringify(e)}`).not.toContain(token);
  return e;
}

beforeAll(async () => {
  world = await startGraphWorld(ANN);
  world.microsoft.addAccount(BOB);
  world.graph.addMailbox(BOB);
  token = (await world.client.signIn(ANN, { scope: GRAPH_SCOPES })).accessToken;
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

beforeEach(() => {
  world.graph.failNextSend(null);
  world.graph.throttle(null);
});

describe('Graph sender', () => {
  it('sends the exact source once, Sent Items keeps it, a harness recipient gets it', async () => {
    const s = sender();
    const sub = submission();
    const hooks = recordingHooks();
    const before = world.graph.sent.length;
    const result = await s.submit(sub, hooks);
    await s.close();

    expect(result).toEqual({ response: '202 Accepted', rejected: [] });
    expect(s.savesSentCopy).toBe(true);
    expect(hooks.calls).toEqual(['connected', `beforeFinalGo sent=${before}`]);
    expect(world.graph.sent.length).toBe(before + 1);
    const taken = world.graph.sent.at(-1)!;
    expect(taken.raw.equals(sub.raw)).toBe(true);
    expect(taken.recipients.sort()).toEqual([BOB, OUTSIDE].sort());
    expect(sentItems(sub.messageIdHeader)).toHaveLength(1);
    expect(world.graph.state(BOB).filter((m) => m.internetMessageId === sub.messageIdHeader)).toMatchObject([{ folder: 'inbox' }]);
  });

  it('names Bcc recipients in a Bcc header, which recipients do not see', async () => {
    const sub = submission({ bcc: [HIDDEN, 'Bob@Contoso.example'] });
    const s = sender();
    await s.submit(sub, recordingHooks());
    await s.close();
    const taken = world.graph.sent.at(-1)!;
    // Only the address the headers do not name; the rest of the bytes are the source's.
    expect(taken.raw.equals(Buffer.concat([Buffer.from(`Bcc: ${HIDDEN}\r\n`), sub.raw]))).toBe(true);
    expect(taken.recipients).toContain(HIDDEN);
    const bobCopy = world.graph.state(BOB).find((m) => m.internetMessageId === sub.messageIdHeader)!;
    expect(world.graph.mailbox(BOB).message(bobCopy.id)!.raw.equals(sub.raw)).toBe(true);
  });

  it('findByMessageId finds the Sent Items copy by internetMessageId, and nothing else', async () => {
    const quoted = submission({ messageId: `<o'neil.${Date.now()}@tidings.test>` });
    const other = submission();
    for (const sub of [quoted, other]) {
      const s = sender();
      await s.submit(sub, recordingHooks());
      await s.close();
    }
    const c = connector();
    const found = await c.findByMessageId('sentitems', quoted.messageIdHeader);
    expect(found).toEqual(sentItems(quoted.messageIdHeader).map((m) => m.id));
    expect(found).toHaveLength(1);
    expect(await c.findByMessageId('sentitems', `<never-sent.${Date.now()}@tidings.test>`)).toEqual([]);
    expect(await c.findByMessageId('inbox', quoted.messageIdHeader)).toEqual([]);
    // The folder's own id works as its well-known name does.
    const sentFolderId = world.graph.mailbox(ANN).folderOrThrow('sentitems').id;
    expect(await c.findByMessageId(sentFolderId, other.messageIdHeader)).toEqual(sentItems(other.messageIdHeader).map((m) => m.id));
    const gone = await c.findByMessageId('AAMkNoSuchFolder', other.messageIdHeader).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ConnectorError);
    expect((gone as ConnectorError).code).toBe('folder_not_found');
    await c.close();
  });

  const refusals: Array<[string, Extract<GraphSendFailure, { status: number }>, string, boolean, number | null]> = [
    [
      '429 with Retry-After',
      { status: 429, code: 'TooManyRequests', message: 'Please retry again later.', retryAfterSeconds: 7 },
      'send_temporary',
      true,
      7000,
    ],
    [
      '503',
      { status: 503, code: 'ServiceUnavailable', message: 'Service unavailable.', retryAfterSeconds: 2 },
      'send_temporary',
      true,
      2000,
    ],
    ['500', { status: 500, code: 'ErrorInternalServerError', message: 'An internal server error occurred.' }, 'send_temporary', true, null],
    [
      '504',
      { status: 504, code: 'GatewayTimeout', message: 'The gateway did not receive a response in time.' },
      'send_temporary',
      true,
      null,
    ],
    [
      '403 ErrorAccessDenied',
      { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' },
      'send_auth_failed',
      false,
      null,
    ],
    [
      '413',
      { status: 413, code: 'ErrorMessageSizeExceeded', message: 'The message exceeds the maximum supported size.' },
      'send_too_large',
      false,
      null,
    ],
    [
      'sending limit',
      { status: 403, code: 'ErrorSubmissionQuotaExceeded', message: 'Cannot send mail: the sender has exceeded the recipient rate limit.' },
      'send_quota_exceeded',
      false,
      null,
    ],
    [
      '400 invalid recipients',
      { status: 400, code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' },
      'send_rejected',
      false,
      null,
    ],
  ];

  it.each(refusals)('maps %s, tried once', async (_name, fail, code, temporary, retryAfterMs) => {
    world.graph.failNextSend(fail);
    const sub = submission();
    const requestsBefore = sendRequests().length;
    const s = sender();
    const e = await failure(s.submit(sub, recordingHooks()));
    await s.close();
    expect([e.code, e.temporary, e.retryAfterMs]).toEqual([code, temporary, retryAfterMs]);
    // A 5xx after the request went may have sent it: no server answer, so the outbox looks in Sent Items.
    if (fail.status === 500 || fail.status === 504)
      expect([e.serverResponse, e.message]).toEqual([null, expect.stringContaining(fail.code)]);
    else expect(e.serverResponse).toContain(`${fail.status} ${fail.code}`);
    if (fail.code === 'ErrorAccessDenied') expect(e.message).toContain('Mail.Send');
    // Never a second POST here: after an unclear end the outbox looks in Sent Items first.
    expect(sendRequests().length).toBe(requestsBefore + 1);
    expect(sentItems(sub.messageIdHeader)).toEqual([]);
  });

  it('a sign-in without Mail.Send is refused by Graph with 403 and explained', async () => {
    const readOnly = (await world.client.signIn(ANN, { scope: `openid email offline_access ${GRAPH_MAIL_SCOPE}` })).accessToken;
    const s = sender({ getAccessToken: async () => readOnly });
    const e = await failure(s.submit(submission(), recordingHooks()));
    await s.close();
    expect([e.code, e.temporary]).toEqual(['send_auth_failed', false]);
    expect(e.message).toContain('Mail.Send');
    expect(e.message).not.toContain(readOnly);
  });

  it('a refused token: one retry with a new token, then send_auth_failed', async () => {
    let refusals = 0;
    const s = sender({ getAccessToken: async () => 'expired-token-value', onAuthFailure: () => refusals++ });
    const e = await failure(s.submit(submission(), recordingHooks()));
    await s.close();
    expect([e.code, e.temporary, refusals]).toEqual(['send_auth_failed', false, 2]);
    expect(e.message).not.toContain('expired-token-value');
  });

  it('a revoked grant is send_auth_failed before anything is connected; other token failures are temporary', async () => {
    const revoked = sender({ getAccessToken: async () => Promise.reject(Object.assign(new Error('x'), { code: 'oauth_revoked' })) });
    const hooks = recordingHooks();
    const e = await failure(revoked.submit(submission(), hooks));
    expect([e.code, e.temporary, hooks.calls]).toEqual(['send_auth_failed', false, []]);
    const down = sender({ getAccessToken: async () => Promise.reject(new Error('provider down')) });
    expect((await failure(down.submit(submission(), recordingHooks()))).code).toBe('send_temporary');
  });

  it('an unclear end (the connection cut after Graph took it) is temporary, and Sent Items tells it went', async () => {
    world.graph.failNextSend({ drop: true });
    const sub = submission();
    const s = sender();
    const e = await failure(s.submit(sub, recordingHooks()));
    await s.close();
    expect([e.code, e.temporary]).toEqual(['send_temporary', true]);
    const c = connector();
    expect(await c.findByMessageId('sentitems', sub.messageIdHeader)).toHaveLength(1);
    await c.close();
  });

  it('an unreachable server is temporary; throttling of the whole mailbox too', async () => {
    const closed = sender({ baseUrl: 'https://127.0.0.1:1/v1.0' });
    const e = await failure(closed.submit(submission(), recordingHooks()));
    expect([e.code, e.temporary]).toEqual(['send_temporary', true]);
    world.graph.throttle({ status: 429, retryAfterSeconds: 30, count: 1 });
    const s = sender();
    const t = await failure(s.submit(submission(), recordingHooks()));
    await s.close();
    expect([t.code, t.temporary, t.retryAfterMs]).toEqual(['send_temporary', true, 30_000]);
  });

  it('over the request size: send_too_large without a request; a failing beforeFinalGo stops before the POST', async () => {
    const requestsBefore = sendRequests().length;
    const small = sender({ maxRequestBytes: 200 });
    expect((await failure(small.submit(submission(), recordingHooks()))).code).toBe('send_too_large');
    const s = sender();
    const stopped = await s
      .submit(submission(), {
        connected: async () => undefined,
        beforeFinalGo: async () => {
          throw new Error('row taken by another worker');
        },
      })
      .catch((err: unknown) => err);
    await s.close();
    expect(stopped).toBeInstanceOf(SendError);
    expect(sendRequests().length).toBe(requestsBefore);
  });

  it('compose is told the size one sendMail takes: the largest source, Bcc header added, fits the request', async () => {
    expect(sendingLimits({ provider_id: 'microsoft365', protocol: 'graph' })).toEqual({
      perDay: 10_000,
      maxMessageBytes: GRAPH_MAX_SOURCE_BYTES,
    });
    expect(sendingLimits({ provider_id: 'microsoft365', protocol: 'imap' }).maxMessageBytes).toBeNull();
    const bcc = Array.from({ length: 40 }, (_, i) => `hidden-${i}@fabrikam.example`);
    const largest = Buffer.concat([submission().raw, Buffer.alloc(GRAPH_MAX_SOURCE_BYTES - submission().raw.length, 'a')]);
    expect(largest.length).toBe(GRAPH_MAX_SOURCE_BYTES);
    expect(withBccHeader(largest, bcc).toString('base64').length).toBeLessThanOrEqual(GRAPH_MAX_REQUEST_BYTES);
  });
});
