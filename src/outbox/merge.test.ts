import { describe, expect, it } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { fieldsIn, renderTemplate, splitName } from './merge.ts';

describe('merge fields', () => {
  it('fills known fields, escapes values in the HTML only, leaves unknown {{x}} alone and lists what is missing', () => {
    const out = renderTemplate(
      {
        subject: 'Offer for {{company.name}} – {{ contact.firstName }}',
        html: '<p>Dear {{contact.firstName}}, {{unknown.thing}} {{deal.name}}</p>',
      },
      { 'contact.firstName': 'Ada', 'company.name': 'Smith & <Sons>' },
    );
    expect(out.subject).toBe('Offer for Smith & <Sons> – Ada');
    expect(out.html).toBe('<p>Dear Ada, {{unknown.thing}} {{deal.name}}</p>');
    expect(out.missing).toEqual(['deal.name']);
    const html = renderTemplate({ subject: '', html: '<b>{{company.name}}</b>' }, { 'company.name': '<script>x</script>"' });
    expect(html.html).toBe('<b>&lt;script&gt;x&lt;/script&gt;&quot;</b>');
  });

  it('keeps a value from breaking the subject line, and counts an empty value as missing', () => {
    const out = renderTemplate(
      { subject: 'Hi {{contact.name}}', html: '{{contact.title}}' },
      { 'contact.name': 'Eve\r\nBcc: x@y', 'contact.title': '  ' },
    );
    expect(out.subject).toBe('Hi Eve Bcc: x@y');
    expect(out.missing).toEqual(['contact.title']);
  });

  it('names the known fields a text uses, once each', () => {
    expect(fieldsIn('{{me.name}} {{contact.firstName}}', '{{contact.firstName}} {{nope.x}} {{me.email}}')).toEqual([
      'me.name',
      'contact.firstName',
      'me.email',
    ]);
  });
});

describe('first and last name from one name', () => {
  itMaps('%s → %j', splitName, [
    ['Ada Lovelace', { firstName: 'Ada', lastName: 'Lovelace' }],
    ['Ada King Lovelace', { firstName: 'Ada', lastName: 'King Lovelace' }],
    ['  Madonna ', { firstName: 'Madonna', lastName: null }],
    ['王小明', { firstName: '小明', lastName: '王' }],
    ['李雷', { firstName: '雷', lastName: '李' }],
    ['欧阳娜娜', { firstName: '娜娜', lastName: '欧阳' }],
    ['王', { firstName: '王', lastName: null }],
    ['Wang Xiaoming', { firstName: 'Wang', lastName: 'Xiaoming' }],
    ['', { firstName: null, lastName: null }],
  ]);
});
