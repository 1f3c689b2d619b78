import { describe, expect, it } from 'vitest';
import { parseClientConfig } from './autoconfig.ts';
import { parseEmail } from './email.ts';
import { parsePoxResponse } from './exchange-autodiscover.ts';
import { DiscoveryError } from './types.ts';

const email = parseEmail('Alice.Smith@Example.COM');

const clientConfig = (incoming: string, outgoing = '') => `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.com"><domain>example.com</domain>
${incoming}${outgoing}</emailProvider></clientConfig>`;

describe('parseEmail', () => {
  it('lower-cases and punycodes the domain, keeps the local part', () => {
    expect(email).toEqual({ address: 'Alice.Smith@example.com', local: 'Alice.Smith', domain: 'example.com' });
    expect(parseEmail('王@例子.中国').domain).toBe('xn--fsqu00a.xn--fiqs8s');
  });

  it.each([
    '',
    'no-at',
    '@example.com',
    'a@',
    'a@localhost',
    'a@1.2.3.4',
    'a b@example.com',
    'a@exa mple.com',
    'a@-bad.com',
    'a..b@example.com',
    `${'x'.repeat(65)}@example.com`,
    'a@example.com/path',
    'a@[127.0.0.1]',
  ])('refuses %j with invalid_email', (input) => {
    expect(() => parseEmail(input)).toThrow(DiscoveryError);
    try {
      parseEmail(input);
    } catch (e) {
      expect((e as DiscoveryError).code).toBe('invalid_email');
    }
  });
});

describe('parseClientConfig', () => {
  it('reads IMAP and SMTP and fills the username placeholder', () => {
    const xml = clientConfig(
      `<incomingServer type="pop3"><hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType></incomingServer>
       <incomingServer type="imap"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>
         <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication></incomingServer>
       <incomingServer type="imap"><hostname>second.example.com</hostname><port>143</port><socketType>STARTTLS</socketType></incomingServer>`,
      `<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>587</port><socketType>STARTTLS</socketType>
         <username>%EMAILADDRESS%</username></outgoingServer>`,
    );
    expect(parseClientConfig(xml, email)).toEqual({
      imap: { host: 'imap.example.com', port: 993, security: 'tls' },
      smtp: { host: 'smtp.example.com', port: 587, security: 'starttls' },
      username: 'Alice.Smith',
    });
  });

  it('falls back to the address for unknown placeholders and skips unusable servers', () => {
    const xml = clientConfig(
      `<incomingServer type="imap"><hostname>bad host!</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
       <incomingServer type="imap"><hostname>imap.example.com</hostname><port>99999</port><socketType>SSL</socketType></incomingServer>
       <incomingServer type="imap"><hostname>ok.example.com</hostname><port>143</port><socketType>plain</socketType><username>%REALNAME%</username></incomingServer>`,
    );
    expect(parseClientConfig(xml, email)).toEqual({
      imap: { host: 'ok.example.com', port: 143, security: 'plain' },
      smtp: undefined,
      username: 'Alice.Smith@example.com',
    });
    expect(parseClientConfig(clientConfig(''), email)).toBeUndefined();
  });

  it('refuses entity declarations, malformed and oversized XML', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
      <clientConfig><emailProvider><incomingServer type="imap"><hostname>&lol2;</hostname></incomingServer></emailProvider></clientConfig>`;
    expect(() => parseClientConfig(bomb, email)).toThrow(/DOCTYPE/);
    expect(() => parseClientConfig('<clientConfig><emailProvider></clientConfig>', email)).toThrow(/malformed/);
    expect(() => parseClientConfig(`<a>${'x'.repeat(300_000)}</a>`, email)).toThrow(/too large/);
    expect(parseClientConfig('<html><body>Not found</body></html>', email)).toBeUndefined();
  });
});

describe('parsePoxResponse', () => {
  const pox = (account: string) => `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>${account}</Account>
  </Response>
</Autodiscover>`;

  it('prefers the external EWS URL and reads IMAP/SMTP', () => {
    const xml = pox(`<AccountType>email</AccountType><Action>settings</Action>
      <Protocol><Type>EXCH</Type><EwsUrl>https://internal.example.com/EWS/Exchange.asmx</EwsUrl></Protocol>
      <Protocol><Type>EXPR</Type><EwsUrl>https://mail.example.com/EWS/Exchange.asmx?a=1&amp;b=2</EwsUrl><LoginName>EXAMPLE\\alice</LoginName></Protocol>
      <Protocol><Type>IMAP</Type><Server>imap.example.com</Server><Port>993</Port><SSL>on</SSL></Protocol>
      <Protocol><Type>SMTP</Type><Server>smtp.example.com</Server><Port>587</Port><Encryption>TLS</Encryption></Protocol>`);
    expect(parsePoxResponse(xml)).toEqual({
      ews: { url: 'https://mail.example.com/EWS/Exchange.asmx?a=1&b=2' },
      imap: { host: 'imap.example.com', port: 993, security: 'tls' },
      smtp: { host: 'smtp.example.com', port: 587, security: 'starttls' },
      loginName: 'EXAMPLE\\alice',
    });
  });

  it('ignores non-https EWS URLs and reports redirects and errors', () => {
    expect(parsePoxResponse(pox('<Protocol><Type>EXPR</Type><EwsUrl>http://mail.example.com/EWS</EwsUrl></Protocol>'))).toEqual({});
    expect(
      parsePoxResponse(pox('<Action>redirectUrl</Action><RedirectUrl>https://ad.example.net/autodiscover/autodiscover.xml</RedirectUrl>')),
    ).toEqual({ redirectUrl: 'https://ad.example.net/autodiscover/autodiscover.xml' });
    const error = `<Autodiscover><Response><Error><ErrorCode>500</ErrorCode><Message>The e-mail address cannot be found.</Message></Error></Response></Autodiscover>`;
    expect(parsePoxResponse(error)).toEqual({ error: 'The e-mail address cannot be found.' });
  });
});
