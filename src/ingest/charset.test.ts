import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { canonicalCharset, decodeIso2022Jp, decodeText } from './charset.ts';
import { decodeEncodedWords } from './encoded-words.ts';
import { readEnvelope } from './headers.ts';
import { b64Word, crlf, encodeIso2022Jp } from '../../test/support/mime.ts';

const ZH_CN = '您好，关于下季度的合同报价，请查收附件。';
const ZH_TW = '您好，關於下季度的合約報價，請查收附件。';

describe('decodeText', () => {
  it('decodes GB2312-labelled text that carries GBK-only characters', () => {
    // 镕 and 喆 are not in GB2312 but are in GBK: real-world "gb2312" mail has them.
    const text = `朱镕基 张喆 ${ZH_CN}`;
    expect(decodeText(iconv.encode(text, 'gbk'), 'gb2312')).toBe(text);
    expect(decodeText(iconv.encode(text, 'gb18030'), 'GB18030')).toBe(text);
  });

  it('repairs GBK and Big5 bytes labelled utf-8 or not labelled at all', () => {
    expect(decodeText(iconv.encode(ZH_CN, 'gbk'), 'utf-8')).toBe(ZH_CN);
    expect(decodeText(iconv.encode(ZH_CN, 'gbk'), null)).toBe(ZH_CN);
    expect(decodeText(iconv.encode(ZH_TW, 'big5'), 'utf-8')).toBe(ZH_TW);
    expect(decodeText(iconv.encode(ZH_TW, 'big5'), 'big5')).toBe(ZH_TW);
  });

  it('prefers real UTF-8 under a lying legacy label', () => {
    expect(decodeText(Buffer.from(ZH_CN, 'utf8'), 'big5')).toBe(ZH_CN);
  });

  it('falls back to windows-1252 for Western 8-bit text', () => {
    expect(decodeText(Buffer.from('Café crème, naïve résumé', 'latin1'), 'utf-8')).toBe('Café crème, naïve résumé');
  });

  it('decodes ISO-2022-JP (which iconv-lite lacks), also unlabelled', () => {
    const ja = 'お世話になっております。見積書を送付します。';
    expect(decodeIso2022Jp(encodeIso2022Jp(ja))).toBe(ja);
    expect(decodeText(encodeIso2022Jp(ja), 'ISO-2022-JP')).toBe(ja);
    expect(decodeText(encodeIso2022Jp(ja), null)).toBe(ja);
  });

  it('never throws on garbage or unknown labels', () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    for (const label of ['utf-8', 'gbk', 'big5', 'iso-2022-jp', 'x-no-such', 'utf-7', '', null]) {
      expect(typeof decodeText(junk, label)).toBe('string');
    }
    expect(canonicalCharset('UTF-7')).toBe('utf-8');
    expect(canonicalCharset('"GB2312"')).toBe('gb18030');
  });
});

describe('RFC 2047 and raw 8-bit headers', () => {
  it('joins a GBK character split across two encoded words', () => {
    const bytes = iconv.encode('测试邮件主题', 'gbk');
    const split = `${b64Word('GB2312', bytes.subarray(0, 3))}\r\n ${b64Word('GB2312', bytes.subarray(3))}`;
    expect(decodeEncodedWords(split.replace(/\r\n/g, ''))).toBe('测试邮件主题');
    const utf = Buffer.from('回复：报价', 'utf8');
    const q = (b: Buffer) => `=?utf-8?Q?${[...b].map((x) => `=${x.toString(16).toUpperCase().padStart(2, '0')}`).join('')}?=`;
    expect(decodeEncodedWords(`${q(utf.subarray(0, 4))} ${q(utf.subarray(4))} tail`)).toBe('回复：报价 tail');
  });

  it('keeps text between encoded words and decodes mixed charsets', () => {
    const v = `Re: ${b64Word('big5', iconv.encode('報價', 'big5'))} and ${b64Word('gbk', iconv.encode('合同', 'gbk'))}`;
    expect(decodeEncodedWords(v)).toBe('Re: 報價 and 合同');
  });

  it('reads undeclared GBK bytes in Subject and From, and ISO-2022-JP encoded words', () => {
    const raw = crlf([
      Buffer.concat([Buffer.from('Subject: '), iconv.encode('季度报价（第二版）', 'gbk')]),
      Buffer.concat([Buffer.from('From: '), iconv.encode('王小明', 'gbk'), Buffer.from(' <Wang@Example.CN>')]),
      `To: ${b64Word('ISO-2022-JP', encodeIso2022Jp('山田太郎'))} <yamada@example.jp>`,
      '',
      'body',
    ]);
    const env = readEnvelope(raw);
    expect(env.subject).toBe('季度报价（第二版）');
    expect(env.from).toEqual([{ name: '王小明', address: 'wang@example.cn' }]);
    expect(env.to).toEqual([{ name: '山田太郎', address: 'yamada@example.jp' }]);
  });
});
