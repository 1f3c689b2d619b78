import { describe, expect, it } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import {
  hasReplyPrefix,
  normaliseSubject,
  resolveThread,
  threadKeyFor,
  threadLookupKeys,
  type ThreadInput,
  type ThreadLookup,
} from './threading.ts';

const base: ThreadInput = {
  messageId: '<m2@x>',
  inReplyTo: null,
  references: [],
  subject: 'Re: Contract',
  date: new Date('2025-03-10T10:00:00Z'),
  participants: ['alice@corp.example', 'bob@client.example'],
};
const empty: ThreadLookup = { messageIds: new Map() };

describe('normaliseSubject', () => {
  itMaps('%j → %j', normaliseSubject, [
    ['Re: Contract', 'contract'],
    ['RE: Fwd: re:Contract', 'contract'],
    ['回复：合同报价', '合同报价'],
    ['回复: 转发: 答复：合同报价', '合同报价'],
    ['Aw: Sv: WG: Angebot', 'angebot'],
    ['[EXTERNAL] Re: [ticket-12] Re[2]: Invoice  March', 'invoice march'],
    ['【重要】回复：会议纪要', '会议纪要'],
    ['Re(3): Quote (fwd)', 'quote'],
    ['[URGENT]', '[urgent]'],
    ['', ''],
    ['Recipe for success', 'recipe for success'],
  ]);

  it('tells replies from originals', () => {
    expect(hasReplyPrefix('回复：合同')).toBe(true);
    expect(hasReplyPrefix('[tag] Fwd: x')).toBe(true);
    expect(hasReplyPrefix('Recipe')).toBe(false);
    expect(hasReplyPrefix(null)).toBe(false);
  });
});

describe('resolveThread', () => {
  it('follows Gmail thread ids first', () => {
    const lookup: ThreadLookup = { messageIds: new Map([['<m1@x>', 'T-refs']]), gmailThreads: new Map([['1789', 'T-gm']]) };
    expect(resolveThread({ ...base, inReplyTo: '<m1@x>', gmailThreadId: '1789' }, lookup)).toEqual({
      kind: 'existing',
      threadId: 'T-gm',
      reason: 'gmail',
    });
  });

  it('prefers the nearest known ancestor: In-Reply-To, then References from the end', () => {
    const lookup: ThreadLookup = {
      messageIds: new Map([
        ['<root@x>', 'T-root'],
        ['<mid@x>', 'T-mid'],
      ]),
    };
    expect(resolveThread({ ...base, references: ['<root@x>', '<mid@x>'] }, lookup)).toEqual({
      kind: 'existing',
      threadId: 'T-mid',
      reason: 'references',
    });
    expect(resolveThread({ ...base, inReplyTo: 'root@x', references: ['<mid@x>'] }, lookup)).toEqual({
      kind: 'existing',
      threadId: 'T-root',
      reason: 'in-reply-to',
    });
    // A truncated References still lands in the thread through any id the store knows.
    expect(resolveThread({ ...base, references: ['<gone@x>', '<root@x>', '<unknown@x>'] }, lookup)).toMatchObject({ threadId: 'T-root' });
  });

  it('joins a parent that arrives after its reply', () => {
    const lookup: ThreadLookup = { messageIds: new Map([['<m2@x>', 'T-reply']]) };
    expect(resolveThread({ ...base, subject: 'Contract' }, lookup)).toEqual({
      kind: 'existing',
      threadId: 'T-reply',
      reason: 'replied-by',
    });
  });

  it('matches by subject only with a reply prefix, a shared participant and within the window', () => {
    const candidates = [
      { threadId: 'T-strangers', participants: ['eve@other.example'], date: new Date('2025-03-09T00:00:00Z') },
      { threadId: 'T-old', participants: ['bob@client.example'], date: new Date('2024-12-01T00:00:00Z') },
      { threadId: 'T-far', participants: ['Alice@Corp.Example'], date: new Date('2025-03-01T00:00:00Z') },
      { threadId: 'T-near', participants: ['BOB@client.example'], date: new Date('2025-03-09T20:00:00Z') },
    ];
    const lookup: ThreadLookup = { messageIds: new Map(), subjectCandidates: candidates };
    expect(resolveThread(base, lookup)).toEqual({ kind: 'existing', threadId: 'T-near', reason: 'subject' });
    expect(resolveThread({ ...base, subject: 'Contract' }, lookup)).toMatchObject({ kind: 'new' });
    expect(resolveThread({ ...base, participants: ['zed@z.example'] }, lookup)).toMatchObject({ kind: 'new' });
    expect(resolveThread({ ...base, date: null }, lookup)).toMatchObject({ kind: 'new' });
    expect(resolveThread(base, lookup, { subjectWindowMs: 1000 })).toMatchObject({ kind: 'new' });
    // Gmail's thread id wins over a subject guess.
    expect(resolveThread({ ...base, gmailThreadId: '42' }, lookup)).toEqual({ kind: 'new', threadKey: 'gm:42' });
  });

  it('keys new threads by Gmail id, root Message-ID, content hash, or subject and people', () => {
    expect(threadKeyFor({ ...base, references: ['<root@x>', '<p@x>'], inReplyTo: '<p@x>' })).toBe('mid:<root@x>');
    expect(threadKeyFor({ ...base, inReplyTo: 'p@x' })).toBe('mid:<p@x>');
    expect(threadKeyFor(base)).toBe('mid:<m2@x>');
    expect(threadKeyFor({ ...base, messageId: null, contentHash: 'abc' })).toBe('sha:abc');
    const a = threadKeyFor({ ...base, messageId: null, participants: ['B@x', 'a@x'] });
    const b = threadKeyFor({ ...base, messageId: null, subject: 'RE: contract', participants: ['a@x', 'b@x'] });
    expect(a).toMatch(/^subj:[0-9a-f]{32}$/);
    expect(a).toBe(b);
    expect(resolveThread(base, empty)).toEqual({ kind: 'new', threadKey: 'mid:<m2@x>' });
  });

  it('lists what the store must look up', () => {
    expect(threadLookupKeys({ ...base, inReplyTo: '<p@x>', references: ['<r@x>', 'p@x'], gmailThreadId: '9' })).toEqual({
      messageIds: ['<p@x>', '<r@x>', '<m2@x>'],
      gmailThreadId: '9',
      normalisedSubject: 'contract',
    });
    expect(threadLookupKeys({ ...base, subject: 'Contract' }).normalisedSubject).toBeNull();
  });
});
