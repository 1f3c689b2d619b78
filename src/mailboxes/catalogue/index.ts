import { findProviderIn, matchDomainIn, matchMxIn } from './match.ts';
import { aliyun, aliyunQiye, exmail, netease126, netease163, neteaseQiye, qq, sina, sohu, yeah } from './providers-china.ts';
import { custom, exchange, fastmail, gmail, icloud, microsoft365, outlook, yahoo, yandex } from './providers-global.ts';
import { zohoCn, zohoCom, zohoEu, zohoIn } from './providers-zoho.ts';
import type { Provider } from './types.ts';

export type { AuthKind, LocalText, Provider, Quirk, Security, ServerSetting } from './types.ts';

/** Every provider we know, in the order the binding form lists them; 'custom' last. */
export const providers: readonly Provider[] = Object.freeze([
  gmail,
  outlook,
  microsoft365,
  exchange,
  icloud,
  yahoo,
  qq,
  exmail,
  netease163,
  netease126,
  yeah,
  neteaseQiye,
  aliyunQiye,
  aliyun,
  sina,
  sohu,
  zohoCom,
  zohoEu,
  zohoIn,
  zohoCn,
  fastmail,
  yandex,
  custom,
]);

export function findProviderById(id: string): Provider | undefined {
  return findProviderIn(providers, id);
}

/** The provider whose own mail domain this is (qq.com, gmail.com, ...); company domains need MX. */
export function matchProviderByDomain(domain: string): Provider | undefined {
  return matchDomainIn(providers, domain);
}

/** The provider hosting a domain, from its MX hosts in preference order (lowest priority first). */
export function matchProviderByMx(mxHosts: string[]): Provider | undefined {
  return matchMxIn(providers, mxHosts);
}
