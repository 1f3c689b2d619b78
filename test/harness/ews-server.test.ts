import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsClient } from '../../src/connectors/ews/ews-client.ts';
import { EwsHttp } from '../../src/connectors/ews/ews-http.ts';
import { soapEnvelope } from '../../src/connectors/ews/soap.ts';
import { ConnectorError } from '../../src/connectors/types.ts';
import { startEwsServer, type EwsServerInstance } from './ews-server.ts';

const USER = 'ann@contoso.test';
const PASS = 'Winter2026!';
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'ews');

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true });

/** Every element path of a document (names without namespace prefixes). */
function paths(xml: string): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === '#text' || k === '?xml') continue;
      const p = `${at}/${k}`;
      out.add(p);
      for (const child of Array.isArray(v) ? v : [v]) walk(child, p);
    }
  };
  walk(parser.parse(xml), '');
  return out;
}

const missingFrom = (answer: string, fixture: string) => [...paths(fixture)].filter((p) => !paths(answer).has(p));

describe('the EWS harness server', () => {
  let ews: EwsServerInstance;
  const httpFor = (username: string, password: string) =>
    new EwsHttp({ url: ews.url, username, password, pinnedCertPem: null, extraCaPems: [ews.caPem], allowPlaintext: false });

  beforeAll(async () => {
    ews = await startEwsServer();
    ews.addUser({ email: USER, username: 'CONTOSO\\ann', password: PASS });
    for (let i = 1; i <= 3; i++) {
      ews.deliver(USER, 'inbox', `From: a@b.test\r\nSubject: Hello ${i}\r\nMessage-ID: <h${i}@b.test>\r\n\r\nBody ${i}\r\n`);
    }
  });
  afterAll(() => ews?.stop());

  it('signs in with NTLMv2 as DOMAIN\\user and as UPN, and refuses a wrong password with 401', async () => {
    for (const username of ['CONTOSO\\ann', 'contoso\\ANN', USER]) {
      const client = new EwsClient(httpFor(username, PASS));
      expect((await client.getFolders(['inbox']))[0]?.total).toBe(3);
      await client.http.close();
    }
    const wrong = new EwsClient(httpFor('CONTOSO\\ann', 'nope'));
    await expect(wrong.getFolders(['inbox'])).rejects.toMatchObject({ code: 'auth_failed' });
    await wrong.http.close();
    const offered = ews.requests.filter((r) => r.status === 401);
    expect(offered.length).toBeGreaterThan(0);
  });

  it('offers Basic only on demand; Kerberos-only Negotiate refuses NTLM tokens', async () => {
    ews.setAuth({ schemes: ['Basic'] });
    const basic = new EwsClient(httpFor(USER, PASS));
    expect((await basic.getFolders(['inbox']))[0]?.total).toBe(3);
    await basic.http.close();
    ews.setAuth({ schemes: ['Negotiate'], kerberosOnly: true });
    const kerberos = new EwsClient(httpFor(USER, PASS));
    await expect(kerberos.getFolders(['inbox'])).rejects.toBeInstanceOf(ConnectorError);
    await kerberos.http.close();
    ews.setAuth({ schemes: ['NTLM', 'Negotiate'] });
  });

  it("answers in the shape of Microsoft's samples: SyncFolderItems, GetItem with MimeContent, ErrorServerBusy, POX Autodiscover", async () => {
    const http = httpFor(USER, PASS);
    const inboxId = ews.mailbox(USER).folder('inbox')!.id;
    const sync = await http.post(
      soapEnvelope(
        `<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:FolderId Id="${inboxId}"/></m:SyncFolderId><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>`,
      ),
    );
    expect(missingFrom(sync.body, await readFile(path.join(FIXTURES, 'sync-folder-items.xml'), 'utf8'))).toEqual([]);

    const [first] = ews.state(USER, 'inbox');
    const item = await http.post(
      soapEnvelope(
        `<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true</t:IncludeMimeContent></m:ItemShape><m:ItemIds><t:ItemId Id="${first!.id}"/></m:ItemIds></m:GetItem>`,
      ),
    );
    expect(missingFrom(item.body, await readFile(path.join(FIXTURES, 'get-item-mime.xml'), 'utf8'))).toEqual([]);

    ews.setBusy({ backOffMs: 297749, times: 1 });
    const busy = await http.post(
      soapEnvelope('<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape></m:GetFolder>'),
    );
    expect(busy.status).toBe(500);
    expect(missingFrom(busy.body, await readFile(path.join(FIXTURES, 'server-busy-fault.xml'), 'utf8'))).toEqual([]);
    await http.close();

    const pox = new EwsHttp({
      url: `${ews.origin}/autodiscover/autodiscover.xml`,
      username: USER,
      password: PASS,
      pinnedCertPem: null,
      extraCaPems: [ews.caPem],
      allowPlaintext: false,
    });
    const ad = await pox.post(
      `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>${USER}</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`,
    );
    expect(missingFrom(ad.body, await readFile(path.join(FIXTURES, 'autodiscover-pox.xml'), 'utf8'))).toEqual([]);
    expect(ad.body).toContain(`<EwsUrl>${ews.url}</EwsUrl>`);
    await pox.close();
  });

  it('pages SyncFolderItems by MaxChangesReturned and reports moves, flag changes and deletes after a SyncState', async () => {
    const client = new EwsClient(httpFor(USER, PASS));
    const inbox = ews.mailbox(USER).folder('inbox')!.id;
    const p1 = await client.syncFolderItems(inbox, null, 2);
    expect(p1).toMatchObject({ last: false });
    expect(p1.changes).toHaveLength(2);
    const p2 = await client.syncFolderItems(inbox, p1.syncState, 2);
    expect(p2.last).toBe(true);
    expect(new Set([...p1.changes, ...p2.changes].map((c) => (c.kind === 'create' ? c.ref.messageId : null)))).toEqual(
      new Set(['<h1@b.test>', '<h2@b.test>', '<h3@b.test>']),
    );
    const [a, b, c] = ews.state(USER, 'inbox');
    await client.updateItems([a!.id], { isRead: true });
    await client.updateItems([b!.id], { flagged: true });
    const [movedId] = await client.moveItems([c!.id], 'archive');
    const p3 = await client.syncFolderItems(inbox, p2.syncState, 100);
    expect(p3.changes.map((x) => x.kind).sort()).toEqual(['delete', 'read', 'update']);
    expect(movedId).toBeTruthy();
    expect(movedId).not.toBe(c!.id);
    expect(ews.state(USER, 'archive').map((x) => x.messageId)).toEqual(['<h3@b.test>']);

    ews.invalidateSyncStates(USER);
    await expect(client.syncFolderItems(inbox, p3.syncState, 100)).rejects.toMatchObject({
      extra: { serverResponse: 'ErrorInvalidSyncStateData' },
    });
    await client.http.close();
  });

  it('streams NewMailEvent notifications on a GetStreamingEvents answer', async () => {
    const client = new EwsClient(httpFor(USER, PASS));
    const inbox = ews.mailbox(USER).folder('inbox')!.id;
    const sub = await client.subscribeStreaming(inbox);
    let seen = '';
    const { streamingRequest } = await import('../../src/connectors/ews/ews-client.ts');
    const stream = await client.http.stream(streamingRequest(sub, 1), (chunk) => {
      seen += chunk;
    });
    expect(stream.status).toBe(200);
    ews.deliver(USER, 'inbox', 'Subject: live\r\nMessage-ID: <live@b.test>\r\n\r\nhi\r\n');
    const deadline = Date.now() + 5_000;
    while (!seen.includes('NewMailEvent') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toContain('<t:NewMailEvent>');
    expect(ews.streamingConnections()).toBe(1);
    stream.close();
    await stream.done;
    await client.http.close();
  });

  it('answers pull subscriptions: GetEvents gives the events since, then a StatusEvent', async () => {
    const http = httpFor(USER, PASS);
    const subscribe = await http.post(
      soapEnvelope(
        '<m:Subscribe><m:PullSubscriptionRequest><t:FolderIds><t:DistinguishedFolderId Id="inbox"/></t:FolderIds><t:EventTypes><t:EventType>NewMailEvent</t:EventType></t:EventTypes><t:Timeout>10</t:Timeout></m:PullSubscriptionRequest></m:Subscribe>',
      ),
    );
    const id = /<m:SubscriptionId>([^<]+)<\/m:SubscriptionId>/.exec(subscribe.body)?.[1];
    expect(subscribe.body).toContain('<m:Watermark>');
    ews.deliver(USER, 'inbox', 'Subject: pulled\r\nMessage-ID: <pull@b.test>\r\n\r\nhi\r\n');
    const events = () =>
      http.post(soapEnvelope(`<m:GetEvents><m:SubscriptionId>${id}</m:SubscriptionId><m:Watermark>1</m:Watermark></m:GetEvents>`));
    expect((await events()).body).toContain('<t:NewMailEvent>');
    expect((await events()).body).toContain('<t:StatusEvent>');
    await http.close();
  });

  it('plays per-user states: EWS disabled (403), ErrorAccessDenied, ErrorMailboxMoveInProgress', async () => {
    const client = new EwsClient(httpFor(USER, PASS));
    ews.setUserState(USER, { ewsDisabled: true });
    await expect(client.getFolders(['inbox'])).rejects.toMatchObject({ extra: { serverResponse: 'ews_disabled' } });
    ews.setUserState(USER, { accessDenied: true });
    await expect(client.syncFolderHierarchy()).rejects.toMatchObject({ extra: { serverResponse: 'ErrorAccessDenied' } });
    ews.setUserState(USER, { moveInProgress: true });
    await expect(client.syncFolderHierarchy()).rejects.toMatchObject({ extra: { serverResponse: 'ErrorMailboxMoveInProgress' } });
    ews.setUserState(USER, {});
    await client.http.close();
  });

  it('sends with CreateItem SendAndSaveCopy and finds by InternetMessageId, in the shape of the samples', async () => {
    const http = httpFor(USER, PASS);
    const source = Buffer.from(`From: ${USER}\r\nTo: x@fabrikam.example\r\nSubject: Sent\r\nMessage-ID: <s1@contoso.test>\r\n\r\nBody\r\n`);
    const created = await http.post(
      soapEnvelope(
        `<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:SavedItemFolderId><t:DistinguishedFolderId Id="sentitems"/></m:SavedItemFolderId><m:Items><t:Message><t:MimeContent CharacterSet="UTF-8">${source.toString('base64')}</t:MimeContent></t:Message></m:Items></m:CreateItem>`,
      ),
    );
    expect(missingFrom(created.body, await readFile(path.join(FIXTURES, 'create-item-send.xml'), 'utf8'))).toEqual([]);
    expect(ews.sent.at(-1)!.raw.equals(source)).toBe(true);
    const saved = ews.state(USER, 'sentitems');
    expect(saved.map((m) => m.messageId)).toEqual(['<s1@contoso.test>']);
    const found = await http.post(
      soapEnvelope(
        '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:Restriction><t:IsEqualTo><t:FieldURI FieldURI="message:InternetMessageId"/><t:FieldURIOrConstant><t:Constant Value="&lt;s1@contoso.test&gt;"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id="sentitems"/></m:ParentFolderIds></m:FindItem>',
      ),
    );
    expect(missingFrom(found.body, await readFile(path.join(FIXTURES, 'find-item.xml'), 'utf8'))).toEqual([]);
    expect(found.body).toContain(`Id="${saved[0]!.id}"`);
    // SendOnly keeps no copy.
    await http.post(
      soapEnvelope(
        `<m:CreateItem MessageDisposition="SendOnly"><m:Items><t:Message><t:MimeContent>${source.toString('base64')}</t:MimeContent></t:Message></m:Items></m:CreateItem>`,
      ),
    );
    expect(ews.state(USER, 'sentitems')).toHaveLength(1);
    expect(ews.sent.filter((m) => m.raw.equals(source))).toHaveLength(2);
    await http.close();
  });
});
