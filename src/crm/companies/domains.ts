import { domainToASCII } from 'node:url';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { CrmError } from '../errors.ts';
import type { CrmEvent } from '../events.ts';

/**
 * Free mail providers: a company that "owns" qq.com would swallow half of China's mail when the linker
 * matches senders by domain, so these are never a company's domain.
 */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
  'yandex.ru',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sohu.com',
  'aliyun.com',
  '139.com',
  '189.cn',
  'vip.qq.com',
]);

const HOST_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** "@Example.COM" → "example.com"; "例子.中国" → its xn-- form. Returns null when it is not a domain. */
export function normaliseDomain(input: string): string | null {
  const trimmed = input.trim().replace(/^@/, '').replace(/\.$/, '');
  if (!trimmed || /[\s/:@]/.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed.toLowerCase());
  return ascii && HOST_PATTERN.test(ascii) ? ascii : null;
}

export function parseDomains(inputs: string[]): string[] {
  const out = new Set<string>();
  for (const input of inputs) {
    const domain = normaliseDomain(input);
    if (!domain) throw new CrmError('invalid_domain', `"${input.slice(0, 100)}" is not a domain name.`);
    if (PUBLIC_MAIL_DOMAINS.has(domain))
      throw new CrmError('public_mail_domain', `${domain} is a public mail provider and cannot belong to a company.`);
    out.add(domain);
  }
  return [...out];
}

/**
 * Makes the company's domains exactly `domains`. A domain held by another company is a 409 that does not
 * say which company holds it.
 */
export async function replaceDomains(trx: Transaction<Database>, companyId: string, domains: string[]): Promise<CrmEvent[]> {
  const existing = await trx
    .selectFrom('company_domains')
    .select(['domain', 'company_id'])
    .where('domain', 'in', domains.length ? domains : [''])
    .execute();
  if (existing.some((d) => d.company_id !== companyId))
    throw new CrmError('domain_in_use', 'One of these domains already belongs to another company.');
  const mine = await trx.selectFrom('company_domains').select('domain').where('company_id', '=', companyId).execute();
  const have = new Set(mine.map((d) => d.domain));
  const removed = [...have].filter((d) => !domains.includes(d));
  const added = domains.filter((d) => !have.has(d));
  if (removed.length) await trx.deleteFrom('company_domains').where('company_id', '=', companyId).where('domain', 'in', removed).execute();
  if (added.length)
    await trx
      .insertInto('company_domains')
      .values(added.map((domain) => ({ domain, company_id: companyId })))
      .execute();
  return added.map((domain) => ({ type: 'company.domain_added', data: { companyId, domain } }));
}

function parentChain(domain: string): string[] {
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}

/**
 * The company a mail domain belongs to: the exact domain first, then its parents (sales.acme.com finds
 * acme.com), never a bare top-level domain.
 */
export async function findCompanyIdByDomain(db: Kysely<Database>, domain: string): Promise<string | null> {
  return (await findCompanyIdsByDomains(db, [domain])).get(domain) ?? null;
}

/** Batch form for the linker, one query: each given domain (key as given) → company id, where one matches. */
export async function findCompanyIdsByDomains(db: Kysely<Database>, domains: string[]): Promise<Map<string, string>> {
  const chains = new Map<string, string[]>();
  for (const d of new Set(domains)) {
    const normal = normaliseDomain(d);
    if (normal) chains.set(d, parentChain(normal));
  }
  const all = [...new Set([...chains.values()].flat())];
  const out = new Map<string, string>();
  if (!all.length) return out;
  const rows = await db.selectFrom('company_domains').select(['domain', 'company_id']).where('domain', 'in', all).execute();
  const owner = new Map(rows.map((r) => [r.domain, r.company_id]));
  for (const [given, chain] of chains) {
    const hit = chain.find((c) => owner.has(c)); // longest first
    if (hit) out.set(given, owner.get(hit)!);
  }
  return out;
}
