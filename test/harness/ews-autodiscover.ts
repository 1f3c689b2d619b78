import { all, esc, one, parseRequest, textOf } from './ews-xml.ts';

/**
 * Autodiscover as Exchange answers it: POX (`/autodiscover/autodiscover.xml`, response schema 2006a) and
 * SOAP (`/autodiscover/autodiscover.svc`, GetUserSettings). Both only after sign-in, as real servers do.
 */
export type AutodiscoverMode = 'ok' | 'not_found' | { redirectAddr: string } | { redirectUrl: string };

const POX_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const POX_OUTLOOK = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';
const SOAP_AD = 'http://schemas.microsoft.com/exchange/2010/Autodiscover';

interface Answer {
  status: number;
  xml: string;
}

export function autodiscoverPox(body: string, mode: AutodiscoverMode, origin: string, users: Map<string, { email: string }>): Answer {
  let email: string | undefined;
  try {
    email = textOf(one(one(parseRequest(body).Autodiscover, 'Request'), 'EMailAddress'));
  } catch {
    email = undefined;
  }
  const wrap = (inner: string) =>
    `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${POX_NS}"><Response xmlns="${POX_OUTLOOK}">${inner}</Response></Autodiscover>`;
  if (typeof mode === 'object') {
    const [action, value] = 'redirectAddr' in mode ? ['redirectAddr', mode.redirectAddr] : ['redirectUrl', mode.redirectUrl];
    const element = action === 'redirectAddr' ? 'RedirectAddr' : 'RedirectUrl';
    return { status: 200, xml: wrap(`<Account><Action>${action}</Action><${element}>${esc(value)}</${element}></Account>`) };
  }
  if (mode === 'not_found' || !email || !users.has(email.toLowerCase())) {
    const id = Math.floor(Math.random() * 1e9);
    return {
      status: 200,
      xml: `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${POX_NS}"><Response><Error Time="10:00:00.0000000" Id="${id}"><ErrorCode>500</ErrorCode><Message>The email address can't be found.</Message><DebugData /></Error></Response></Autodiscover>`,
    };
  }
  const ews = `${origin}/EWS/Exchange.asmx`;
  return {
    status: 200,
    xml: wrap(
      [
        '<User><DisplayName>',
        esc(email),
        '</DisplayName><AutoDiscoverSMTPAddress>',
        esc(email),
        '</AutoDiscoverSMTPAddress></User>',
        '<Account><AccountType>email</AccountType><Action>settings</Action><MicrosoftOnline>False</MicrosoftOnline>',
        `<Protocol><Type>EXCH</Type><Server>ex01.contoso.test</Server><ASUrl>${ews}</ASUrl><EwsUrl>${ews}</EwsUrl></Protocol>`,
        `<Protocol><Type>EXPR</Type><Server>127.0.0.1</Server><SSL>On</SSL><AuthPackage>Ntlm</AuthPackage><EwsUrl>${ews}</EwsUrl></Protocol>`,
        '</Account>',
      ].join(''),
    ),
  };
}

export function autodiscoverSoap(body: string, mode: AutodiscoverMode, origin: string, users: Map<string, { email: string }>): Answer {
  let mailbox: string | undefined;
  let settings: string[] = [];
  try {
    const request = one(one((parseRequest(body).Envelope as Record<string, unknown>)?.Body, 'GetUserSettingsRequestMessage'), 'Request');
    mailbox = textOf(one(one(one(request, 'Users'), 'User'), 'Mailbox'));
    settings = all(one(request, 'RequestedSettings'), 'Setting').map((s) => textOf(s) ?? '');
  } catch {
    mailbox = undefined;
  }
  let userResponse: string;
  if (typeof mode === 'object') {
    const [code, target] = 'redirectAddr' in mode ? ['RedirectAddress', mode.redirectAddr] : ['RedirectUrl', mode.redirectUrl];
    userResponse = `<ErrorCode>${code}</ErrorCode><ErrorMessage>Redirection.</ErrorMessage><RedirectTarget>${esc(target)}</RedirectTarget><UserSettingErrors/><UserSettings/>`;
  } else if (mode === 'not_found' || !mailbox || !users.has(mailbox.toLowerCase())) {
    userResponse = `<ErrorCode>InvalidUser</ErrorCode><ErrorMessage>Invalid user: '${esc(mailbox ?? '')}'</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings/>`;
  } else {
    const ews = `${origin}/EWS/Exchange.asmx`;
    const values: Record<string, string> = { ExternalEwsUrl: ews, InternalEwsUrl: ews, UserDisplayName: mailbox };
    const found = settings.filter((s) => s in values);
    userResponse = `<ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings>${found
      .map((s) => `<UserSetting i:type="StringSetting"><Name>${s}</Name><Value>${esc(values[s]!)}</Value></UserSetting>`)
      .join('')}</UserSettings>`;
  }
  return {
    status: 200,
    xml: [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing">',
      '<s:Header><a:Action s:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettingsResponse</a:Action>',
      `<h:ServerVersionInfo xmlns:h="${SOAP_AD}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><h:MajorVersion>15</h:MajorVersion><h:MinorVersion>2</h:MinorVersion><h:MajorBuildNumber>1544</h:MajorBuildNumber><h:MinorBuildNumber>4</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header>`,
      `<s:Body><GetUserSettingsResponseMessage xmlns="${SOAP_AD}"><Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ErrorCode>NoError</ErrorCode><ErrorMessage/>`,
      `<UserResponses><UserResponse>${userResponse}</UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>`,
    ].join(''),
  };
}
