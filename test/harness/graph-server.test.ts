// The Graph harness server answers as Microsoft's reference documents Graph: its pages, links, removals,
// errors and batch answers have the fields of the samples in fixtures/graph, tokens are checked at the
// local Microsoft, and its knobs (throttling, expired delta tokens, no Exchange Online) do what they say.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GRAPH_MAIL_SCOPE,
  GRAPH_SEND_SCOPE,
  GRAPH_USER_SCOPE,
  MICROSOFT_IMAP_SCOPE,
  oauthTestClient,
  startGraphServer,
  startOAuthProvider,
} from './index.ts';
import type { GraphServerInstance, OAuthProviderInstance } from './index.ts';

const USER = 'megan@contoso.example';
const fixture = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(path.join(import.meta.dirname, 'fixtures', 'graph', name), 'utf8'));

/** The fields of `sample` that `actual` lacks or holds with another JSON type (arrays: their first element). */
function missingShape(sample: unknown, actual: unknown, at = '$'): string[] {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(sample) !== kind(actual)) return [`${at}: ${kind(sample)} expected, ${kind(actual)} found`];
  if (Array.isArray(sample))
    return sample.length && (actual as unknown[]).length ? missingShape(sample[0], (actual as unknown[])[0], `${at}[0]`) : [];
  if (kind(sample) !== 'object') return [];
  return Object.entries(sample as Record<string, unknown>).flatMap(([k, v]) =>
    k in (actual as Record<string, unknown>)
      ? missingShape(v, (actual as Record<string, unknown>)[k], `${at}.${k}`)
      : [`${at}.${k} missing`],
  );
}

const raw = (n: number) => `Message-ID: <m${n}@contoso.example>\r\nSubject: Hello ${n}\r\nFrom: a@b.example\r\n\r\nBody ${n}\r\n`;

describe('Graph harness server', () => {
  let microsoft: OAuthProviderInstance;
  let graph: GraphServerInstance;
  let token: string;
  let dispatcher: Agent;

  const call = async (method: string, url: string, opts: { body?: unknown; prefer?: string; bearer?: string } = {}) => {
    const res = await request(url.startsWith('https:') ? url : `${graph.baseUrl}${url}`, {
      method: method as 'GET',
      dispatcher,
      headers: {
        authorization: `Bearer ${opts.bearer ?? token}`,
        prefer: opts.prefer ?? 'IdType="ImmutableId"',
        ...(opts.body ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      json: text && String(res.headers['content-type']).startsWith('application/json') ? (JSON.parse(text) as Record<string, any>) : null,
      text,
    };
  };

  beforeAll(async () => {
    microsoft = await startOAuthProvider({ kind: 'microsoft' });
    microsoft.addAccount(USER);
    graph = await startGraphServer({ userinfoUrl: microsoft.userinfoUrl });
    graph.addMailbox(USER);
    dispatcher = new Agent({ connect: { ca: graph.caPem } });
    token = (await (await oauthTestClient(microsoft)).signIn(USER, { scope: `openid email offline_access ${GRAPH_MAIL_SCOPE}` }))
      .accessToken;
  }, 30_000);

  afterAll(async () => {
    await dispatcher?.close();
    await graph?.stop();
    await microsoft?.stop();
  });

  it('lists the well-known folders, paged with $top and @odata.nextLink', async () => {
    const first = await call('GET', '/me/mailFolders?$top=4');
    expect(first.status).toBe(200);
    expect(first.json!.value).toHaveLength(4);
    const second = await call('GET', first.json!['@odata.nextLink']);
    expect(second.json!['@odata.nextLink']).toBeUndefined();
    const names = [...first.json!.value, ...second.json!.value].map((f: { wellKnownName: string }) => f.wellKnownName).sort();
    expect(names).toEqual(['archive', 'deleteditems', 'drafts', 'inbox', 'junkemail', 'sentitems']);
    const inbox = await call('GET', '/users/megan%40contoso.example/mailFolders/inbox');
    expect(inbox.json!.displayName).toBe('Inbox');
  });

  it('answers delta in skiptoken pages ending in a deltaLink, then only changes and removals', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => graph.deliver(USER, 'inbox', raw(i)));
    const pages: Array<Record<string, any>> = [];
    let next: string | undefined = '/me/mailFolders/inbox/messages/delta?$select=subject,isRead,flag,internetMessageId,receivedDateTime';
    while (next) {
      const page = await call('GET', next, { prefer: 'IdType="ImmutableId", odata.maxpagesize=10' });
      expect(page.status).toBe(200);
      pages.push(page.json!);
      next = page.json!['@odata.nextLink'];
    }
    expect(pages.map((p) => p.value.length)).toEqual([10, 10, 5]);
    expect(missingShape(await fixture('delta-page.json'), { ...pages[0], value: [pages[0].value[0]] })).toEqual([]);
    expect(missingShape(await fixture('delta-link.json'), pages[2])).toEqual([]);
    expect(pages.flatMap((p) => p.value.map((m: { id: string }) => m.id)).sort()).toEqual([...ids].sort());

    const mailbox = graph.mailbox(USER);
    expect((await call('PATCH', `/me/messages/${ids[0]}`, { body: { isRead: true } })).status).toBe(200);
    const moved = await call('POST', `/me/messages/${ids[1]}/move`, { body: { destinationId: 'deleteditems' } });
    expect(moved.status).toBe(201);
    expect(moved.json!.id).toBe(ids[1]); // immutable ids survive moves
    expect((await call('DELETE', `/me/messages/${ids[2]}`)).status).toBe(204);
    const delta = await call('GET', pages[2]['@odata.deltaLink']);
    const byId = new Map(delta.json!.value.map((v: { id: string }) => [v.id, v]));
    expect(byId.size).toBe(3);
    expect(byId.get(ids[0])).toMatchObject({ isRead: true });
    expect(byId.get(ids[1])).toMatchObject({ '@removed': { reason: 'changed' } });
    expect(byId.get(ids[2])).toMatchObject({ '@removed': { reason: 'deleted' } });
    expect(missingShape((await fixture('delta-page.json')) as object, { ...delta.json, '@odata.nextLink': '' })).toEqual([]);
    expect(mailbox.inFolder(mailbox.folderOrThrow('deleteditems').id)).toHaveLength(1);

    // Without ImmutableId a moved message gets a new REST id, as Exchange's entry ids do.
    const before = (await call('GET', `/me/messages/${ids[3]}`, { prefer: '' })).json!.id as string;
    const after = (await call('POST', `/me/messages/${before}/move`, { prefer: '', body: { destinationId: 'archive' } })).json!
      .id as string;
    expect(after).not.toBe(before);
    expect((await call('GET', `/me/messages/${before}`, { prefer: '' })).status).toBe(404);

    graph.expireDeltaTokens(USER, 'inbox');
    const gone = await call('GET', delta.json!['@odata.deltaLink']);
    expect(gone.status).toBe(410);
    expect(missingShape(await fixture('delta-gone.json'), gone.json)).toEqual([]);
  });

  it('serves raw MIME with $value and runs JSON batches', async () => {
    const id = graph.deliver(USER, 'inbox', raw(100));
    const value = await call('GET', `/me/messages/${id}/$value`);
    expect(value.text).toBe(raw(100));
    const batch = await call('POST', '/$batch', {
      body: {
        requests: [
          {
            id: '1',
            method: 'PATCH',
            url: `/me/messages/${id}`,
            headers: { 'content-type': 'application/json' },
            body: { isRead: true, flag: { flagStatus: 'flagged' } },
          },
          {
            id: '2',
            method: 'PATCH',
            url: '/me/messages/AAMkNoSuchMessage',
            headers: { 'content-type': 'application/json' },
            body: { isRead: true },
          },
        ],
      },
    });
    expect(batch.status).toBe(200);
    expect(missingShape(await fixture('batch-response.json'), batch.json)).toEqual([]);
    expect(batch.json!.responses.map((r: { status: number }) => r.status)).toEqual([200, 404]);
    expect(graph.state(USER).find((m) => m.id === id)).toMatchObject({ isRead: true, flagStatus: 'flagged' });
    const tooMany = await call('POST', '/$batch', {
      body: { requests: Array.from({ length: 21 }, (_, i) => ({ id: `${i}`, method: 'GET', url: '/me/mailFolders' })) },
    });
    expect(tooMany.status).toBe(400);
  });

  it('throttles with Retry-After, and refuses tokens as Exchange Online does', async () => {
    graph.throttle({ status: 429, retryAfterSeconds: 3, count: 1 });
    const throttled = await call('GET', '/me/mailFolders');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('3');
    expect(missingShape(await fixture('throttled.json'), throttled.json)).toEqual([]);
    expect((await call('GET', '/me/mailFolders')).status).toBe(200);

    const client = await oauthTestClient(microsoft, { clientId: 'other-app' });
    const imapToken = (await client.signIn(USER, { scope: `openid email ${MICROSOFT_IMAP_SCOPE}` })).accessToken;
    expect((await call('GET', '/me/mailFolders', { bearer: imapToken })).json!.error.code).toBe('InvalidAuthenticationToken');
    expect((await call('GET', '/me/mailFolders', { bearer: 'not-a-token' })).status).toBe(401);
    const profileOnly = (await client.signIn(USER, { scope: `openid email ${GRAPH_USER_SCOPE}` })).accessToken;
    const denied = await call('GET', '/me/mailFolders', { bearer: profileOnly });
    expect([denied.status, denied.json!.error.code]).toEqual([403, 'ErrorAccessDenied']);

    graph.setRestDisabled(USER, true);
    expect((await call('GET', '/me/mailFolders')).json!.error.code).toBe('MailboxNotEnabledForRESTAPI');
    graph.setRestDisabled(USER, false);
  });

  it('counts requests in flight and refuses a fifth at once with 429', async () => {
    graph.setLatency(150);
    graph.resetMaxInFlight();
    const answers = await Promise.all(Array.from({ length: 6 }, () => call('GET', '/me/mailFolders/inbox')));
    graph.setLatency(0);
    expect(graph.maxInFlight).toBeGreaterThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(2);
  });

  it('takes sendMail in MIME form into Sent Items, and lists folder messages by internetMessageId', async () => {
    const sendToken = (
      await (
        await oauthTestClient(microsoft, { clientId: 'send-app' })
      ).signIn(USER, {
        scope: `openid email offline_access ${GRAPH_MAIL_SCOPE} ${GRAPH_SEND_SCOPE}`,
      })
    ).accessToken;
    const sendMail = async (body: string, bearer = sendToken) => {
      const res = await request(`${graph.baseUrl}/me/sendMail`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/plain' },
        body,
      });
      const text = await res.body.text();
      return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, any>) : null };
    };
    const id = `<o'neil.${Date.now()}@contoso.example>`;
    const source = Buffer.from(`Message-ID: ${id}\r\nFrom: ${USER}\r\nTo: x@fabrikam.example\r\nSubject: Sent\r\n\r\nBody\r\n`);
    expect(await sendMail(source.toString('base64'))).toEqual({ status: 202, json: null });
    expect(graph.sent.at(-1)).toMatchObject({ from: USER, recipients: ['x@fabrikam.example'] });
    expect(graph.sent.at(-1)!.raw.equals(source)).toBe(true);
    // Mail.ReadWrite alone does not send: Graph's 403 with the shape of the sample.
    const denied = await sendMail(source.toString('base64'), token);
    expect(denied.status).toBe(403);
    expect(missingShape(await fixture('access-denied.json'), denied.json)).toEqual([]);
    expect((await sendMail('not base64 at all!')).json!.error.code).toBe('ErrorMimeContentInvalidBase64String');
    graph.failNextSend({ status: 413, code: 'ErrorMessageSizeExceeded', message: 'Too large.' });
    expect((await sendMail(source.toString('base64'))).status).toBe(413);
    expect(graph.sent.filter((m) => m.raw.equals(source))).toHaveLength(1);

    const filter = encodeURIComponent(`internetMessageId eq '${id.replaceAll("'", "''")}'`);
    const found = await call('GET', `/me/mailFolders/sentitems/messages?$filter=${filter}&$select=id`);
    expect(found.status).toBe(200);
    expect(missingShape(await fixture('messages-by-internet-message-id.json'), found.json)).toEqual([]);
    expect(found.json!.value.map((m: { id: string }) => m.id)).toEqual([graph.sent.at(-1)!.sentItemId]);
    expect((await call('GET', `/me/mailFolders/inbox/messages?$filter=${filter}`)).json!.value).toEqual([]);
    expect((await call('GET', `/me/mailFolders/sentitems/messages?$filter=${encodeURIComponent("subject eq 'Sent'")}`)).status).toBe(400);
  });
});
