import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookWorker, type WebhookWorker } from '../../src/webhooks/index.ts';
import { createLogger } from '../../src/app/logger.ts';
import { expectProblem, signInMember } from '../support/api.ts';
import { type Client, createTestApp, setupAdmin, type TestApp } from '../support/app.ts';
import { insertMail, insertMailbox } from '../support/rows.ts';
import { waitFor } from '../support/wait.ts';

/** What docs/webhooks.md tells receivers to do, written out again here rather than imported from src. */
function verify(secret: string, header: string, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=')));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Received {
  path: string;
  delivery: string;
  event: string;
  signature: string;
  body: string;
  payload: { id: string; type: string; createdAt: string; data: Record<string, any> };
}

/** A receiver on 127.0.0.1: `answer` decides the status of each request; it keeps what it took (2xx) once per delivery id. */
class Receiver {
  readonly requests: Received[] = [];
  readonly accepted = new Map<string, Received>();
  answer: (r: Received) => number = () => 200;
  #server: http.Server | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: Received = {
          path: req.url ?? '',
          delivery: String(req.headers['tidings-delivery']),
          event: String(req.headers['tidings-event']),
          signature: String(req.headers['tidings-signature']),
          body,
          payload: JSON.parse(body),
        };
        this.requests.push(r);
        const status = this.answer(r);
        if (status >= 200 && status < 300 && !this.accepted.has(r.delivery)) this.accepted.set(r.delivery, r);
        res.writeHead(status, status === 302 ? { location: `http://127.0.0.1:${this.port}/elsewhere` } : {}).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

// Test-short waits: a day of retries in a minute.
const schedule = { firstDelayMs: 40, maxDelayMs: 250, giveUpAfterMs: 60_000 };

describe('webhook deliveries to a local receiver', () => {
  let t: TestApp;
  let admin: Client;
  let worker: WebhookWorker;
  let adminId: string;
  const receiver = new Receiver();

  const deliveries = async (id: string) => (await admin.get(`/api/v1/webhooks/${id}/deliveries?limit=100`)).data.items as any[];
  const subscribe = async (url: string, events: string[]) => {
    const res = await admin.post('/api/v1/webhooks', { url, events });
    expect(res.statusCode).toBe(201);
    return res.data as { webhook: { id: string }; secret: string };
  };
  const startWorker = (policy = { allowLocal: true, allowPrivate: true }, extra = {}) =>
    startWebhookWorker({ db: t.db.db, log: createLogger('silent'), vault: t.services.vault, policy, pollMs: 20, schedule, ...extra });

  beforeAll(async () => {
    t = await createTestApp('postgres');
    admin = await setupAdmin(t.app);
    adminId = (await admin.get('/api/v1/me')).data.user.id;
    await receiver.start();
    worker = startWorker();
    worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver.stop();
    await t?.close();
  });

  it('signs each delivery so the receiver verifies it with the documented algorithm, and shows the secret once', async () => {
    const { webhook, secret } = await subscribe(receiver.url(), ['contact.created', 'deal.stage_changed']);
    expect(secret).toMatch(/^whsec_/);
    const read = await admin.get(`/api/v1/webhooks/${webhook.id}`);
    expect(JSON.stringify(read.data)).not.toContain(secret);
    expect(JSON.stringify((await admin.get('/api/v1/webhooks')).data)).not.toContain(secret);

    const contact = await admin.post('/api/v1/contacts', { name: 'Wang Fang', emails: ['wang.fang@example.cn'] });
    expect(contact.statusCode).toBe(201);
    const got = await waitFor('the contact.created delivery', async () =>
      receiver.requests.find((r) => r.event === 'contact.created' && r.payload.data.id === contact.data.contact.id),
    );
    expect(verify(secret, got.signature, got.body)).toBe(true);
    expect(verify(secret, got.signature, got.body.replace('Wang Fang', 'Wang Fan'))).toBe(false);
    expect(verify('whsec_wrong', got.signature, got.body)).toBe(false);
    // A captured request replayed later than 5 minutes is refused.
    expect(verify(secret, got.signature, got.body, Math.floor(Date.now() / 1000) + 301)).toBe(false);
    expect(got.payload).toMatchObject({
      type: 'contact.created',
      data: { contact: { name: 'Wang Fang' }, actorUserId: expect.any(String) },
    });
    const log = await waitFor('the delivery logged as delivered', async () =>
      (await deliveries(webhook.id)).find((d) => d.id === got.delivery && d.state === 'delivered'),
    );
    expect(log).toMatchObject({ attempts: 1, lastStatusCode: 200, eventType: 'contact.created', eventId: got.payload.id });
    expect(t.logs.join('\n')).not.toContain(secret);
  });

  it('survives a receiver that refuses connections, then answers 500, then comes back: every event once', async () => {
    const down = new Receiver();
    await down.start();
    const port = down.port;
    await down.stop(); // connection refused from now on
    const { webhook, secret } = await subscribe(`http://127.0.0.1:${port}/hook`, ['company.created']);
    const names = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
    for (const name of names) expect((await admin.post('/api/v1/companies', { name, domains: [] })).statusCode).toBe(201);
    await waitFor('every delivery to have failed twice on a refused connection', async () => {
      const items = await deliveries(webhook.id);
      return (
        items.length === names.length && items.every((d) => d.attempts >= 2 && d.state !== 'delivered' && /ECONNREFUSED/.test(d.lastError))
      );
    });

    // Up again, but broken: 500 for the first ten requests.
    let broken = 10;
    down.answer = () => (broken-- > 0 ? 500 : 200);
    await down.start(port);
    const log = await waitFor('every delivery delivered', async () => {
      const items = await deliveries(webhook.id);
      return items.every((d) => d.state === 'delivered') ? items : null;
    });
    expect(down.requests.filter((r) => r.payload.type === 'company.created').length).toBeGreaterThan(names.length);
    const taken = [...down.accepted.values()];
    expect(taken.map((r) => r.payload.data.company.name).sort()).toEqual([...names].sort());
    expect(new Set(taken.map((r) => r.payload.id)).size).toBe(names.length);
    // Retries kept their delivery id: the receiver saw no id it was not told about.
    expect(new Set(down.requests.map((r) => r.delivery))).toEqual(new Set(log.map((d) => d.id)));
    for (const r of taken) expect(verify(secret, r.signature, r.body)).toBe(true);
    expect(log.some((d) => d.attempts >= 3)).toBe(true);
    await down.stop();
  });

  it('replays one delivery as a new delivery of the same event, and sends a test event', async () => {
    const { webhook } = await subscribe(receiver.url('/replay'), ['deal.created']);
    const test = await admin.post(`/api/v1/webhooks/${webhook.id}/test`);
    expect(test.statusCode).toBe(202);
    const testGot = await waitFor('the test event', async () => receiver.accepted.get(test.data.id));
    expect(testGot.payload.type).toBe('webhook.test');

    const delivered = await waitFor('the test delivery logged', async () =>
      (await deliveries(webhook.id)).find((d) => d.id === test.data.id && d.state === 'delivered'),
    );
    const replay = await admin.post(`/api/v1/webhooks/${webhook.id}/deliveries/${delivered.id}/replay`);
    expect(replay.statusCode).toBe(202);
    expect(replay.data).toMatchObject({ replayOf: delivered.id, eventId: delivered.eventId, state: 'pending' });
    const again = await waitFor('the replay', async () => receiver.accepted.get(replay.data.id));
    expect(again.payload).toEqual(testGot.payload);
    expect(again.delivery).not.toBe(testGot.delivery);

    const other = await subscribe(receiver.url('/other'), ['deal.created']);
    expectProblem(await admin.post(`/api/v1/webhooks/${other.webhook.id}/deliveries/${delivered.id}/replay`), 404, 'not_found');
    const audit = await admin.get('/api/v1/audit?action=webhook.');
    expect(audit.data.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['webhook.create', 'webhook.test', 'webhook.replay']),
    );
  });

  it('announces a deal moving stage, and a mailbox needing attention raised on the bus', async () => {
    await subscribe(receiver.url('/deals'), ['deal.stage_changed', 'mailbox.attention']);
    const stages = (await admin.get('/api/v1/pipeline/stages')).data.items as Array<{ id: string }>;
    const deal = await admin.post('/api/v1/deals', {
      name: 'Big one',
      contactIds: [],
      amount: '1000',
      currency: 'CNY',
      stageId: stages[0]!.id,
    });
    expect(deal.statusCode).toBe(201);
    expect((await admin.patch(`/api/v1/deals/${deal.data.deal.id}`, { stageId: stages[1]!.id })).statusCode).toBe(200);
    const moved = await waitFor('deal.stage_changed', async () =>
      [...receiver.accepted.values()].find((r) => r.event === 'deal.stage_changed' && r.payload.data.id === deal.data.deal.id),
    );
    expect(moved.payload.data).toMatchObject({ fromStageId: stages[0]!.id, toStageId: stages[1]!.id, deal: { name: 'Big one' } });

    const mailboxId = await insertMailbox(t.db.db, adminId, 'sales@example.com');
    t.services.events.emit('mailbox.attention', { mailboxId, ownerUserId: adminId, code: 'auth_failed' });
    const attention = await waitFor('mailbox.attention', async () =>
      [...receiver.accepted.values()].find((r) => r.event === 'mailbox.attention'),
    );
    expect(attention.payload.data).toEqual({
      mailboxId,
      email: 'sales@example.com',
      ownerUserId: adminId,
      needsAttention: true,
      code: 'auth_failed',
    });
  });

  it('sends new mail as a teammate sees it: never a body, the subject only where the mailbox shares it, nothing of a private one', async () => {
    await subscribe(receiver.url('/mail'), ['message.created']);
    const sent: Record<string, string> = {};
    for (const visibility of ['private', 'metadata_only', 'subject_only', 'share_all'] as const) {
      const mailboxId = await insertMailbox(t.db.db, adminId, `${visibility}@example.com`, { visibility });
      const mail = await insertMail(t.db.db, t.services, mailboxId, {
        from: 'Li Lei <li.lei@example.cn>',
        to: `${visibility}@example.com`,
        subject: `Quote for ${visibility}`,
        text: 'SECRET BODY TEXT',
      });
      sent[visibility] = mail.id;
    }
    const byId = (id: string) => [...receiver.accepted.values()].find((r) => r.event === 'message.created' && r.payload.data.id === id);
    const shared = await waitFor('share_all mail', async () => byId(sent.share_all!));
    const subject = await waitFor('subject_only mail', async () => byId(sent.subject_only!));
    const metadata = await waitFor('metadata_only mail', async () => byId(sent.metadata_only!));
    await t.services.webhooks.fanout.idle();
    const queued = await t.db.db.selectFrom('webhook_deliveries').select('payload').where('event_type', '=', 'message.created').execute();
    expect(queued.map((d) => d.payload.data.id).sort()).toEqual([sent.metadata_only, sent.subject_only, sent.share_all].sort());
    expect(shared.payload.data).toMatchObject({ subject: 'Quote for share_all', from: [{ address: 'li.lei@example.cn' }] });
    expect(subject.payload.data).toMatchObject({ subject: 'Quote for subject_only' });
    expect(metadata.payload.data).not.toHaveProperty('subject');
    expect(metadata.payload.data).toMatchObject({
      from: [{ address: 'li.lei@example.cn' }],
      to: [{ address: 'metadata_only@example.com' }],
    });
    for (const r of [shared, subject, metadata]) expect(r.body).not.toContain('SECRET BODY TEXT');
  });

  it('does not follow a redirect, and switches a webhook off when its receiver answers 410 Gone', async () => {
    const { webhook } = await subscribe(receiver.url('/moved'), ['contact.deleted']);
    receiver.answer = (r) => (r.delivery && r.payload.type === 'webhook.test' && r.body.includes(webhook.id) ? 302 : 200);
    const test = await admin.post(`/api/v1/webhooks/${webhook.id}/test`);
    const redirected = await waitFor('the redirect answered', async () =>
      (await deliveries(webhook.id)).find((d) => d.id === test.data.id && d.lastStatusCode === 302),
    );
    expect(redirected.lastError).toMatch(/redirect to .* not followed/);
    expect(redirected.state).not.toBe('delivered');
    expect(receiver.requests.some((r) => r.path === '/elsewhere')).toBe(false);

    receiver.answer = (r) => (r.body.includes(webhook.id) ? 410 : 200);
    const gone = await waitFor('the webhook switched off', async () => {
      const read = await admin.get(`/api/v1/webhooks/${webhook.id}`);
      return read.data.active === false ? read.data : null;
    });
    expect(gone.disabledReason).toBe('gone');
    expect((await deliveries(webhook.id)).find((d) => d.id === test.data.id)).toMatchObject({ state: 'failed', lastStatusCode: 410 });
    expectProblem(await admin.post(`/api/v1/webhooks/${webhook.id}/test`), 409, 'webhook_inactive');
    receiver.answer = () => 200;
    const on = await admin.patch(`/api/v1/webhooks/${webhook.id}`, { active: true });
    expect(on.data).toMatchObject({ active: true, disabledReason: null });
  });

  it('refuses a loopback receiver at connect time when the host rules do not allow it, also behind a name (DNS rebinding)', async () => {
    await worker.stop();
    const rebinding = ((_host: string, _opts: unknown, cb: (err: null, list: Array<{ address: string; family: number }>) => void) =>
      cb(null, [{ address: '127.0.0.1', family: 4 }])) as never;
    const strict = startWorker({ allowLocal: false, allowPrivate: true }, { lookup: rebinding });
    strict.start();
    try {
      const literal = await subscribe(receiver.url('/ssrf'), ['company.deleted']);
      const named = await subscribe(`http://hooks.example.test:${receiver.port}/ssrf`, ['company.deleted']);
      const before = receiver.requests.length;
      const tests = [
        (await admin.post(`/api/v1/webhooks/${literal.webhook.id}/test`)).data.id,
        (await admin.post(`/api/v1/webhooks/${named.webhook.id}/test`)).data.id,
      ];
      for (const [i, hook] of [literal, named].entries()) {
        const d = await waitFor('the delivery refused', async () =>
          (await deliveries(hook.webhook.id)).find((x) => x.id === tests[i] && x.state === 'failed'),
        );
        expect(d.lastError).toMatch(/local address/);
        expect(d.lastStatusCode).toBeNull();
      }
      expect(receiver.requests.length).toBe(before);
    } finally {
      await strict.stop();
      worker = startWorker();
      worker.start();
    }
  });

  it('is for admins only, and answers problems for bad input', async () => {
    const { client: member } = await signInMember(t, admin, 'mei@example.com', '李梅');
    expectProblem(await member.get('/api/v1/webhooks'), 403, 'forbidden');
    expectProblem(await member.post('/api/v1/webhooks', { url: receiver.url(), events: ['task.due'] }), 403, 'forbidden');
    expectProblem(await admin.post('/api/v1/webhooks', { url: 'ftp://example.com/', events: ['task.due'] }), 400, 'validation_failed');
    expectProblem(await admin.post('/api/v1/webhooks', { url: receiver.url(), events: ['nope'] }), 400, 'validation_failed');
    expectProblem(
      await admin.post('/api/v1/webhooks', { url: 'http://u:p@example.com/', events: ['task.due'] }),
      422,
      'webhook_url_not_allowed',
    );
    const { webhook, secret } = await subscribe(receiver.url('/rotate'), ['task.due']);
    const rotated = await admin.post(`/api/v1/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.data.secret).not.toBe(secret);
    expectProblem(await admin.get(`/api/v1/webhooks/${webhook.id}/deliveries?cursor=abc`), 400, 'invalid_cursor');
    expect((await admin.delete(`/api/v1/webhooks/${webhook.id}`)).statusCode).toBe(204);
    expectProblem(await admin.get(`/api/v1/webhooks/${webhook.id}`), 404, 'not_found');
  });
});
