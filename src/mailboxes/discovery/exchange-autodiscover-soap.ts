import { escapeXml } from '../../kernel/xml.ts';
import { children, parseXml, text } from './xml.ts';

/** SOAP Autodiscover (Exchange 2010 and later): GetUserSettings for the EWS endpoints. */
export function soapAutodiscoverUrl(domain: string): string {
  return `https://autodiscover.${domain}/autodiscover/autodiscover.svc`;
}

export function getUserSettingsRequest(address: string, url: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<soap:Envelope xmlns:a="http://schemas.microsoft.com/exchange/2010/Autodiscover" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">',
    '<soap:Header><a:RequestedServerVersion>Exchange2013</a:RequestedServerVersion>',
    '<wsa:Action>http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings</wsa:Action>',
    `<wsa:To>${escapeXml(url)}</wsa:To></soap:Header>`,
    '<soap:Body><a:GetUserSettingsRequestMessage><a:Request>',
    `<a:Users><a:User><a:Mailbox>${escapeXml(address)}</a:Mailbox></a:User></a:Users>`,
    '<a:RequestedSettings><a:Setting>ExternalEwsUrl</a:Setting><a:Setting>InternalEwsUrl</a:Setting></a:RequestedSettings>',
    '</a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>',
  ].join('');
}

export interface SoapAutodiscoverResult {
  /** ExternalEwsUrl preferred over InternalEwsUrl; https only. */
  ewsUrl?: string;
  redirectAddr?: string;
  redirectUrl?: string;
  error?: string;
}

function https(value: string | undefined): string | undefined {
  try {
    return value && new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function parseGetUserSettingsResponse(xml: string): SoapAutodiscoverResult {
  const root = parseXml(xml);
  const out: SoapAutodiscoverResult = {};
  for (const envelope of children(root, 'Envelope')) {
    for (const body of children(envelope, 'Body')) {
      for (const message of children(body, 'GetUserSettingsResponseMessage')) {
        for (const response of children(message, 'Response')) {
          const top = text(response, 'ErrorCode');
          if (top && top !== 'NoError') out.error ??= top;
          for (const users of children(response, 'UserResponses')) {
            for (const user of children(users, 'UserResponse')) {
              const code = text(user, 'ErrorCode');
              const target = text(user, 'RedirectTarget');
              if (code === 'RedirectAddress' && target) out.redirectAddr ??= target;
              else if (code === 'RedirectUrl' && target) out.redirectUrl ??= https(target);
              else if (code && code !== 'NoError') out.error ??= code;
              const settings = new Map<string, string | undefined>();
              for (const list of children(user, 'UserSettings')) {
                for (const s of children(list, 'UserSetting')) settings.set(text(s, 'Name') ?? '', text(s, 'Value'));
              }
              out.ewsUrl ??= https(settings.get('ExternalEwsUrl')) ?? https(settings.get('InternalEwsUrl'));
            }
          }
        }
      }
    }
  }
  return out;
}
