import { describe, expect, it } from 'vitest';
import { companyNameFromDomain, decideAutoContacts, type AutoContactInput } from './auto-contacts.ts';
import { isAutomatedMail, isRoleAddress } from './automated-mail.ts';
import { registrableDomain } from './create-contacts.ts';

const a = (address: string, name: string | null = null) => ({ address, name });
const base: AutoContactInput = {
  mode: 'all',
  mailboxAddress: 'me@ourco.com',
  from: [a('li.lei@acme.com', '李雷')],
  to: [a('me@ourco.com')],
  cc: [],
  bcc: [],
  bccVisible: false,
  listId: null,
  listUnsubscribe: null,
  precedence: null,
  autoSubmitted: null,
  workspaceDomains: ['ourco.com', 'ourco.cn'],
  allowFreeMail: false,
  isBlocked: () => false,
};

describe('decideAutoContacts', () => {
  it("'all' takes everyone but the owner; the company comes from the work domain", () => {
    expect(decideAutoContacts(base)).toEqual([{ address: 'li.lei@acme.com', name: '李雷', companyDomain: 'acme.com' }]);
  });
  it("'sent' takes only recipients of mail the owner wrote", () => {
    expect(decideAutoContacts({ ...base, mode: 'sent' })).toEqual([]);
    const sent = {
      ...base,
      mode: 'sent' as const,
      from: [a('Me@OurCo.com')],
      to: [a('Han.Meimei@Client.cn')],
      cc: [a('boss@acme.com', 'Boss')],
    };
    expect(decideAutoContacts(sent).map((c) => c.address)).toEqual(['han.meimei@client.cn', 'boss@acme.com']);
    expect(decideAutoContacts(sent)[0]!.name).toBe('Han Meimei');
  });
  it('Bcc recipients become contacts only when the mailbox is shared in full', () => {
    const sent = {
      ...base,
      mode: 'sent' as const,
      from: [a('me@ourco.com')],
      to: [a('buyer@client.cn')],
      bcc: [a('secret-partner@rival.example')],
    };
    expect(decideAutoContacts(sent).map((c) => c.address)).toEqual(['buyer@client.cn']);
    expect(decideAutoContacts({ ...sent, bccVisible: true }).map((c) => c.address)).toEqual([
      'buyer@client.cn',
      'secret-partner@rival.example',
    ]);
  });
  it("'off' creates nobody", () => {
    expect(decideAutoContacts({ ...base, mode: 'off' })).toEqual([]);
  });
  it('skips list, bulk and automatic mail', () => {
    expect(decideAutoContacts({ ...base, listId: '<news.acme.com>' })).toEqual([]);
    expect(decideAutoContacts({ ...base, listUnsubscribe: '<mailto:u@acme.com>' })).toEqual([]);
    expect(decideAutoContacts({ ...base, precedence: 'Bulk' })).toEqual([]);
    expect(decideAutoContacts({ ...base, autoSubmitted: 'auto-replied' })).toEqual([]);
    expect(decideAutoContacts({ ...base, autoSubmitted: 'no' })).toHaveLength(1);
  });
  it('skips machine senders and role addresses', () => {
    expect(decideAutoContacts({ ...base, from: [a('no-reply@acme.com')] })).toEqual([]);
    expect(decideAutoContacts({ ...base, from: [a('MAILER-DAEMON@acme.com')] })).toEqual([]);
    expect(
      decideAutoContacts({ ...base, cc: [a('support@acme.com'), a('sales@acme.com'), a('wang@acme.com')] }).map((c) => c.address),
    ).toEqual(['li.lei@acme.com', 'wang@acme.com']);
  });
  it('skips colleagues: workspace domains, their subdomains and the mailbox domain', () => {
    const m = { ...base, workspaceDomains: ['ourco.cn'], cc: [a('x@ourco.com'), a('y@sh.ourco.cn'), a('z@acme.com')] };
    expect(decideAutoContacts(m).map((c) => c.address)).toEqual(['li.lei@acme.com', 'z@acme.com']);
  });
  it('skips free mail unless allowed, and then makes no company', () => {
    const m = { ...base, from: [a('someone@qq.com')], cc: [a('x@gmail.com')] };
    expect(decideAutoContacts(m)).toEqual([]);
    expect(decideAutoContacts({ ...m, allowFreeMail: true })).toEqual([
      { address: 'someone@qq.com', name: 'Someone', companyDomain: null },
      { address: 'x@gmail.com', name: 'X', companyDomain: null },
    ]);
  });
  it('skips blocked addresses', () => {
    expect(decideAutoContacts({ ...base, isBlocked: (x) => x === 'li.lei@acme.com' })).toEqual([]);
  });
});

describe('helpers', () => {
  it('recognises automated mail headers and role addresses', () => {
    expect(isAutomatedMail({ listId: null, listUnsubscribe: null, precedence: 'junk', autoSubmitted: null })).toBe(true);
    expect(isAutomatedMail({ listId: null, listUnsubscribe: null, precedence: 'first-class', autoSubmitted: 'no' })).toBe(false);
    expect(isRoleAddress('noreply-billing@x.com')).toBe(true);
    expect(isRoleAddress('notifications+abc@github.com')).toBe(true);
    expect(isRoleAddress('info.china@x.com')).toBe(false);
    expect(isRoleAddress('zhang.wei@x.com')).toBe(false);
  });
  it('names companies from domains', () => {
    expect(companyNameFromDomain('acme.com')).toBe('Acme');
    expect(companyNameFromDomain('sales.acme.co.uk')).toBe('Acme');
    expect(companyNameFromDomain('huawei.com.cn')).toBe('Huawei');
    expect(registrableDomain('mail.sales.acme.com')).toBe('acme.com');
    expect(registrableDomain('x.example.com.cn')).toBe('example.com.cn');
  });
});
