import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { addressOf, type DsnReport, MAX_REPORT_BYTES, parseDsn, statusCodeOf } from './dsn-parser.ts';

const dir = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(dir, name));
const crlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

type Expected = Omit<DsnReport, 'recipients' | 'arrivalAt' | 'reportingMta'> & {
  recipients: Array<Partial<DsnReport['recipients'][number]> & { recipient: string }>;
};

/** Every fixture and what it says; the files are shapes of real servers' reports (see fixtures/README.md). */
const expected: Record<string, Expected | null> = {
  'postfix-failed.eml': {
    shape: 'rfc3464',
    originalMessageId: '<quote-200@tidings.test>',
    recipients: [
      {
        recipient: 'nobody@customer.example',
        originalRecipient: 'nobody@customer.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
      },
    ],
  },
  'postfix-delayed.eml': {
    shape: 'rfc3464',
    originalMessageId: '<meeting-next-week@tidings.test>',
    recipients: [
      {
        recipient: 'li.wei@slow.example',
        action: 'delayed',
        status: '4.4.1',
        diagnostic: 'connect to mx.slow.example[198.51.100.7]:25: Connection timed out',
      },
    ],
  },
  'exim.eml': {
    shape: 'rfc3464',
    originalMessageId: '<samples.1762336963@tidings.test>',
    recipients: [
      {
        recipient: 'sales@gone.example',
        action: 'failed',
        status: '5.0.0',
        diagnostic: '550 5.1.1 <sales@gone.example>: Mailbox does not exist',
      },
    ],
  },
  'gmail.eml': {
    shape: 'rfc3464',
    originalMessageId: '<CAF7x3Yk2pQ9v@mail.gmail.com>',
    recipients: [
      {
        recipient: 'wrong.name@customer.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 The email account that you tried to reach does not exist.',
        lastAttemptAt: new Date('2026-11-06T09:23:45Z'),
      },
    ],
  },
  'exchange-online.eml': {
    shape: 'rfc3464',
    originalMessageId: '<SN6PR11MB2911A1B2C3D4E5F6@SN6PR11MB2911.namprd11.prod.outlook.com>',
    recipients: [
      {
        recipient: 'j.smith@fabrikam.example',
        action: 'failed',
        status: '5.1.10',
        diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      },
    ],
  },
  'sendmail.eml': {
    shape: 'rfc3464',
    originalMessageId: '<tradeshow-2026@tidings.test>',
    recipients: [
      {
        recipient: 'bob@partner.example',
        action: 'failed',
        status: '5.2.2',
        diagnostic: '550 5.2.2 <bob@partner.example>... Mailbox full',
      },
      {
        recipient: 'carol@partner.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <carol@partner.example>... User unknown',
      },
    ],
  },
  'global-dsn.eml': {
    shape: 'rfc3464',
    originalMessageId: '<hello-idn@tidings.test>',
    recipients: [{ recipient: '用户@例子.广告', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 用户不存在 (user unknown)' }],
  },
  'qmail.eml': {
    shape: 'qmail',
    originalMessageId: '<catalogue-2027@tidings.test>',
    recipients: [
      {
        recipient: 'jdoe@qmail.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <jdoe@qmail.example>: Recipient address rejected: User unknown',
      },
      {
        recipient: 'info@old-shop.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'Sorry, no mailbox here by that name. (#5.1.1)',
      },
    ],
  },
  'qq-text.eml': {
    shape: 'chinese-text',
    originalMessageId: '<tencent_5E6F7A8B9C0D@qq.com>',
    recipients: [
      {
        recipient: 'zhang.san@kehu.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <zhang.san@kehu.example>: Recipient address rejected: User unknown',
      },
    ],
  },
  'netease-163.eml': {
    shape: 'chinese-text',
    // No returned message: the report's In-Reply-To names it.
    originalMessageId: '<2a1b3c4d.5e6f.19a0b1c2d3e.Coremail.chen.liu@163.com>',
    recipients: [
      { recipient: 'li.si@gongsi.example', action: 'failed', status: '5.7.1', diagnostic: '550 5.7.1 Mail rejected by recipient policy' },
    ],
  },
  'not-dsn-person.eml': null,
  'not-dsn-163-notice.eml': null,
  'not-dsn-vacation.eml': null,
};

describe('parseDsn over every fixture', () => {
  it('has an expectation for every fixture file', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`${name} (LF and CRLF)`, () => {
      for (const bytes of [fixture(name), crlf(fixture(name))]) {
        const got = parseDsn(bytes);
        if (want === null) {
          expect(got).toBeNull();
          continue;
        }
        expect(got).not.toBeNull();
        expect(got!.shape).toBe(want.shape);
        expect(got!.originalMessageId).toBe(want.originalMessageId);
        expect(got!.recipients).toHaveLength(want.recipients.length);
        for (const [i, r] of want.recipients.entries()) expect(got!.recipients[i]).toMatchObject(r);
      }
    });
  }

  it('reads the per-message fields of a standard report', () => {
    const got = parseDsn(fixture('postfix-failed.eml'))!;
    expect(got.reportingMta).toBe('mx1.tidings.test');
    expect(got.arrivalAt).toEqual(new Date('2026-11-03T08:14:01Z'));
  });
});

describe('bad input is "not a DSN", never a crash', () => {
  const report = fixture('postfix-failed.eml');
  it.each([
    ['empty', Buffer.alloc(0)],
    ['only headers', Buffer.from('Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n')],
    ['binary noise', Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256))],
    ['a report cut before its status part', report.subarray(0, report.indexOf('Reporting-MTA'))],
    ['a status part without recipients', Buffer.from('Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n')],
    [
      'boundary never closed and regex-hostile',
      Buffer.from('Content-Type: multipart/report; boundary="(a+)+$[\\"\r\n\r\n--(a+)+$[\\\r\n'.repeat(3)),
    ],
  ])('%s', (_, bytes) => {
    expect(parseDsn(bytes)).toBeNull();
  });

  it('a report whose returned message is huge is read from its first bytes', () => {
    const huge = Buffer.concat([report.subarray(0, report.lastIndexOf('--4XyZ')), Buffer.alloc(MAX_REPORT_BYTES * 2, 'A'.charCodeAt(0))]);
    const got = parseDsn(huge);
    expect(got?.recipients.map((r) => r.recipient)).toEqual(['nobody@customer.example']);
    expect(got?.originalMessageId).toBe('<quote-200@tidings.test>');
  });

  it('a report of thousands of recipients keeps a bounded number', () => {
    const groups = Array.from(
      { length: 5000 },
      (_, i) => `Final-Recipient: rfc822; u${i}@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\n`,
    ).join('\r\n');
    const got = parseDsn(Buffer.from(`Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n${groups}`));
    expect(got!.recipients.length).toBe(200);
  });

  it('deeply nested multiparts stop at the depth limit', () => {
    let body = 'Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: failed\r\n';
    for (let i = 0; i < 50; i++) body = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
    expect(parseDsn(Buffer.from(body))).toBeNull();
  });
});

describe('fields', () => {
  itMaps('addressOf(%j) → %j', addressOf, [
    ['rfc822; Ann@Example.COM', 'ann@example.com'],
    ['rfc822;<bob@x.example>', 'bob@x.example'],
    ['utf-8; \\x{7528}\\x{6237}@example.com', '用户@example.com'],
    ['rfc822; not an address', null],
    ['', null],
  ]);
  itMaps('statusCodeOf(%j) → %j', statusCodeOf, [
    ['5.1.1', '5.1.1'],
    ['5.1.10 (unknown)', '5.1.10'],
    ['4.4.7', '4.4.7'],
    ['2.0.0', '2.0.0'],
    ['6.1.1', null],
    [null, null],
  ]);
  it('an action missing or invented is taken from the status class', () => {
    const dsn = (action: string, status: string) =>
      parseDsn(
        Buffer.from(
          `Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: ${action}\r\nStatus: ${status}\r\n`,
        ),
      )?.recipients[0]?.action ?? null;
    expect(dsn('Failed', '5.0.0')).toBe('failed');
    expect(dsn('bounced', '5.0.0')).toBe('failed');
    expect(dsn('', '4.2.2')).toBe('delayed');
    expect(dsn('', '')).toBeNull();
  });
});
