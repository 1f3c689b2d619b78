import { findProviderIn, matchDomainIn, matchMxIn } from './match.ts';
import { aliyun, aliyunQiye, china139, cn21, exmail, net263, qq, sina, sohu, tom } from './providers-china.ts';
import {
  netease126,
  netease163,
  netease188,
  neteaseQiye,
  neteaseVip126,
  neteaseVip163,
  neteaseVip188,
  yeah,
} from './providers-china-netease.ts';
import { gmx, gmxCom, mailCom, mailRu, webDe, yandex } from './providers-europe.ts';
import { custom, exchange, fastmail, gmail, icloud, microsoft365, outlook } from './providers-global.ts';
import { godaddy, ionosDe, ionosEs, ionosFr, ionosUk, ionosUs, ovh, protonBridge, rackspace } from './providers-hosting.ts';
import { aol, yahoo, yahooJapan } from './providers-yahoo.ts';
import { zohoAu, zohoCa, zohoCn, zohoCom, zohoEu, zohoIn, zohoJp } from './providers-zoho.ts';
import { withAuth } from './sign-in.ts';
import type { Provider } from './types.ts';

export { describeSignIn } from './sign-in.ts';
export type {
  AuthKind,
  CatalogueEntry,
  LocalText,
  NotYet,
  OAuthApp,
  Provider,
  Quirk,
  SecretKind,
  Security,
  ServerSetting,
  SignIn,
} from './types.ts';

/** Every provider we know, in the order the binding form lists them; 'custom' last. */
export const providers: readonly Provider[] = Object.freeze(
  [
    gmail,
    outlook,
    microsoft365,
    exchange,
    icloud,
    yahoo,
    aol,
    yahooJapan,
    qq,
    exmail,
    netease163,
    netease126,
    yeah,
    neteaseVip163,
    neteaseVip126,
    netease188,
    neteaseVip188,
    neteaseQiye,
    aliyunQiye,
    aliyun,
    sina,
    sohu,
    china139,
    cn21,
    tom,
    net263,
    zohoCom,
    zohoEu,
    zohoIn,
    zohoCn,
    zohoJp,
    zohoAu,
    zohoCa,
    fastmail,
    protonBridge,
    gmx,
    gmxCom,
    webDe,
    mailCom,
    yandex,
    mailRu,
    ionosDe,
    ionosUk,
    ionosUs,
    ionosFr,
    ionosEs,
    ovh,
    godaddy,
    rackspace,
    custom,
  ].map(withAuth),
);

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
