import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../types.ts';
import { refOfItem } from './ews-client.ts';
import { offeredSchemes } from './ews-http.ts';
import { errorForCode, faultOf, parseSoap, readResponse, takeMimeContents, text, type XmlNode } from './soap.ts';

const fixture = (name: string) => readFile(path.join(import.meta.dirname, '../../../test/harness/fixtures/ews', name), 'utf8');

describe('reading EWS answers', () => {
  it("reads Microsoft's SyncFolderItems sample: SyncState, IncludesLastItemInRange", async () => {
    const [msg] = readResponse({ status: 200, body: await fixture('sync-folder-items.xml') }, 'SyncFolderItems');
    expect(msg).toMatchObject({ ok: true, code: 'NoError' });
    expect(text(msg!.node, 'SyncState')).toMatch(/^H4sI/);
    expect(text(msg!.node, 'IncludesLastItemInRange')).toBe('true');
  });

  it("takes the MimeContent out of Microsoft's GetItem sample before parsing, byte-exact", async () => {
    const xml = await fixture('get-item-mime.xml');
    const taken = takeMimeContents(xml);
    expect(taken.contents).toHaveLength(1);
    expect(Buffer.from(taken.contents[0]!, 'base64').toString('utf8')).toContain('Subject: Company Softball Team');
    const [msg] = readResponse({ status: 200, body: xml }, 'GetItem', parseSoap(taken.xml));
    const message = (msg!.node.Items as XmlNode).Message as XmlNode;
    expect(text(message, 'MimeContent')).toBe('0');
    expect(refOfItem(message).remoteId).toMatch(/^AAMkA/);
  });

  it("maps Microsoft's ErrorServerBusy fault to rate_limited with BackOffMilliseconds", async () => {
    const body = await fixture('server-busy-fault.xml');
    expect(faultOf(parseSoap(body))).toMatchObject({ code: 'ErrorServerBusy', backOffMs: 297749 });
    let thrown: unknown;
    try {
      readResponse({ status: 500, body }, 'GetFolder');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConnectorError);
    expect(thrown).toMatchObject({ code: 'rate_limited', extra: { retryAfterMs: 297749, serverResponse: 'ErrorServerBusy' } });
  });

  it('maps response codes and HTTP answers to connector codes', () => {
    expect(errorForCode('ErrorAccessDenied', 'x').code).toBe('auth_failed');
    expect(errorForCode('ErrorMailboxMoveInProgress', 'x').code).toBe('server_error');
    expect(errorForCode('ErrorSyncFolderNotFound', 'x').code).toBe('folder_not_found');
    expect(() => readResponse({ status: 403, body: '' }, 'GetFolder')).toThrow(/EWS disabled/);
    expect(() => readResponse({ status: 502, body: 'Bad gateway' }, 'GetFolder')).toThrow(/HTTP 502/);
  });

  it('refuses hostile XML with protocol_error: malformed, DOCTYPE entities, the wrong answer', () => {
    for (const body of [
      '<?xml version="1.0"?><s:Envelope xmlns:s="x"><s:Body><unclosed>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><s:Envelope xmlns:s="x"><s:Body>&a;</s:Body></s:Envelope>',
      '<?xml version="1.0"?><s:Envelope xmlns:s="x"><s:Body><Other/></s:Body></s:Envelope>',
    ]) {
      let thrown: unknown;
      try {
        readResponse({ status: 200, body }, 'GetItem');
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toMatchObject({ code: 'protocol_error' });
    }
  });

  it('reads the schemes a 401 offers, NTLM first', () => {
    expect(offeredSchemes(['Negotiate', 'NTLM'])).toEqual(['ntlm', 'negotiate']);
    expect(offeredSchemes('Basic realm="mail.contoso.com"')).toEqual(['basic']);
    expect(offeredSchemes(undefined)).toEqual([]);
  });
});
