import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../types.ts';
import { parseDeltaPage } from './graph-delta.ts';
import { statusError, retryAfterMs } from './graph-errors.ts';
import { assignGraphRoles } from './graph-folders.ts';
import { headerBlock, patchOf } from './graph-messages.ts';

describe('parseDeltaPage', () => {
  it('reads messages, removals and links', () => {
    const page = parseDeltaPage({
      '@odata.nextLink': 'https://graph.example/v1.0/me/mailFolders/x/messages/delta?$skiptoken=a',
      value: [
        { id: 'm1', isRead: true, flag: { flagStatus: 'flagged' }, receivedDateTime: '2026-01-02T03:04:05Z', internetMessageId: '<a@b>' },
        { id: 'm2', '@removed': { reason: 'changed' } },
        { id: 'm3', isRead: false, isDraft: true, flag: { flagStatus: 'complete' } },
        { id: '' },
        null,
      ],
    });
    expect(page.refs.map((r) => [r.remoteId, r.stableId, r.flags, r.messageId])).toEqual([
      ['m1', 'm1', ['seen', 'flagged'], '<a@b>'],
      ['m3', 'm3', ['draft'], null],
    ]);
    expect(page.refs[0].internalDate?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(page.removed).toEqual(['m2']);
    expect(page.nextLink).toMatch(/skiptoken/);
    expect(page.deltaLink).toBeNull();
  });

  it('refuses pages that are not delta pages', () => {
    for (const bad of [null, 'x', {}, { value: {} }, { value: [] }, { value: [], '@odata.nextLink': 5 }]) {
      expect(() => parseDeltaPage(bad)).toThrow(ConnectorError);
    }
  });

  it('keeps an unreadable receivedDateTime out of the ref', () => {
    expect(
      parseDeltaPage({ '@odata.deltaLink': 'x', value: [{ id: 'a', receivedDateTime: 'yesterday' }] }).refs[0].internalDate,
    ).toBeNull();
  });
});

describe('assignGraphRoles', () => {
  it('maps well-known names, by the folder field or by the ids asked by name, one folder per role', () => {
    const roles = assignGraphRoles(
      [
        { id: '1', wellKnownName: 'inbox' },
        { id: '2', wellKnownName: 'sentitems' },
        { id: '3', wellKnownName: 'deleteditems' },
        { id: '4', wellKnownName: null },
        { id: '5', wellKnownName: 'JunkEmail' },
        { id: '6', wellKnownName: 'inbox' },
        { id: '7', wellKnownName: 'conversationhistory' },
      ],
      new Map([['4', 'archive']]),
    );
    expect(Object.fromEntries(roles)).toEqual({ 1: 'inbox', 2: 'sent', 3: 'trash', 4: 'archive', 5: 'junk', 6: null, 7: null });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(['0'], now)).toBe(0);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
  });
});

describe('statusError', () => {
  it('maps Graph answers to connector codes, with what the server said', () => {
    expect(statusError(401, { code: 'InvalidAuthenticationToken', message: 'x' }, 'op').code).toBe('auth_failed');
    expect(statusError(404, { code: 'MailboxNotEnabledForRESTAPI', message: '' }, 'op').code).toBe('auth_failed');
    const throttled = statusError(429, { code: 'TooManyRequests', message: '' }, 'op', { retryAfterMs: 60_000 });
    expect([throttled.code, throttled.extra.retryAfterMs]).toEqual(['rate_limited', 60_000]);
    expect(statusError(500, { code: '', message: '' }, 'op').extra.serverResponse).toBe('500');
  });
});

describe('patchOf and headerBlock', () => {
  it('turns flag changes into a message PATCH; flags Graph cannot set are left out', () => {
    expect(patchOf({ add: ['seen'], remove: ['flagged'] })).toEqual({ isRead: true, flag: { flagStatus: 'notFlagged' } });
    expect(patchOf({ add: ['answered', 'deleted'] })).toBeNull();
  });

  it('keeps the header block of a truncated source', () => {
    expect(headerBlock(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody')).toString()).toBe('A: 1\r\nB: 2\r\n\r\n');
    expect(headerBlock(Buffer.from('A: 1\r\nB: 2 cut he')).toString()).toBe('A: 1\r\n');
    expect(headerBlock(Buffer.from('no newline')).length).toBe(0);
  });
});
