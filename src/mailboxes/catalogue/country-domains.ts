/**
 * Long lists of a provider's own mail domains, kept apart so the provider files stay readable. The lists
 * follow Thunderbird's ISPDB (github.com/thunderbird/autoconfig, ispdb/*.xml), which records the domains
 * each provider serves; a domain here is matched exactly, never as a suffix.
 */

/** Whitespace-separated words, in the order written. */
const words = (text: string): string[] => text.trim().split(/\s+/);

/** Outlook.com, Hotmail, Live and MSN: every address Microsoft's consumer mail serves (ispdb/hotmail.com.xml). */
export const outlookDomains = words(`
  outlook.com hotmail.com live.com msn.com windowslive.com livemail.tw
  outlook.at outlook.be outlook.cl outlook.cz outlook.de outlook.dk outlook.es outlook.fr outlook.hu outlook.ie
  outlook.in outlook.it outlook.jp outlook.kr outlook.lv outlook.my outlook.ph outlook.pt outlook.sa outlook.sg
  outlook.sk outlook.co.id outlook.co.il outlook.co.th outlook.com.ar outlook.com.au outlook.com.br
  outlook.com.gr outlook.com.tr outlook.com.vn
  hotmail.be hotmail.ca hotmail.cl hotmail.cz hotmail.de hotmail.dk hotmail.es hotmail.fi hotmail.fr hotmail.gr
  hotmail.hu hotmail.it hotmail.lt hotmail.lv hotmail.my hotmail.nl hotmail.no hotmail.ph hotmail.rs hotmail.se
  hotmail.sg hotmail.sk hotmail.co.id hotmail.co.il hotmail.co.in hotmail.co.jp hotmail.co.kr hotmail.co.th
  hotmail.co.uk hotmail.co.za hotmail.com.ar hotmail.com.au hotmail.com.br hotmail.com.hk hotmail.com.tr
  hotmail.com.tw hotmail.com.vn
  live.at live.be live.ca live.cl live.cn live.de live.dk live.fi live.fr live.hk live.ie live.in live.it live.jp
  live.nl live.no live.ru live.se live.co.jp live.co.kr live.co.uk live.co.za live.com.ar live.com.au
  live.com.mx live.com.my live.com.ph live.com.pt live.com.sg
`);

/**
 * Yahoo Mail's own and country domains (ispdb/yahoo.com.xml). Not yahoo.co.jp: Yahoo! JAPAN is a separate
 * company with its own mail servers (providers-yahoo.ts).
 */
export const yahooDomains = words(`
  yahoo.com ymail.com rocketmail.com myyahoo.com
  yahoo.ca yahoo.de yahoo.it yahoo.fr yahoo.es yahoo.se yahoo.co.in yahoo.co.uk yahoo.co.nz yahoo.com.au
  yahoo.com.ar yahoo.com.br yahoo.com.mx
`);

/** AOL Mail and the brands it absorbed (ispdb/aol.com.xml). */
export const aolDomains = words(`
  aol.com aim.com netscape.net netscape.com compuserve.com cs.com wmconnect.com
  aol.de aol.it aol.fr aol.es aol.se aol.co.uk aol.co.nz aol.com.au aol.com.ar aol.com.br aol.com.mx
`);

/** GMX's German-speaking service, served by imap.gmx.net (ispdb/gmx.net.xml). */
export const gmxNetDomains = words('gmx.net gmx.de gmx.at gmx.ch gmx.eu gmx.biz gmx.org gmx.info');

/** GMX's international service, served by imap.gmx.com (ispdb/gmx.com.xml). */
export const gmxComDomains = words(`
  gmx.com gmx.us gmx.co.uk gmx.es gmx.fr gmx.ca gmx.co.in gmx.com.br gmx.com.my gmx.hk gmx.ie gmx.ph gmx.pt
  gmx.ru gmx.se gmx.sg gmx.tw gmx.com.tr gmx.it gmx.li
`);

/** mail.com's main domains (ispdb/mail.com.xml lists hundreds more; MX look-up does not tell them apart). */
export const mailComDomains = words(`
  mail.com mail.org email.com post.com usa.com accountant.com consultant.com dr.com engineer.com cheerful.com
  techie.com linuxmail.org europe.com london.com uymail.com myself.com iname.com writeme.com
`);

/** Mail.ru Group's mail domains (ispdb/mail.ru.xml). */
export const mailRuDomains = words('mail.ru inbox.ru list.ru bk.ru');

/** Yandex Mail's own and country domains (ispdb/yandex.ru.xml). */
export const yandexDomains = words('yandex.com yandex.ru ya.ru yandex.by yandex.kz yandex.ua narod.ru');
