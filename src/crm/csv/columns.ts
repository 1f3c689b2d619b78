export const CONTACT_COLUMNS = ['name', 'email', 'phone', 'company', 'title', 'tags'] as const;
export const COMPANY_COLUMNS = ['name', 'domains', 'industry', 'owner', 'notes'] as const;
export type ContactColumn = (typeof CONTACT_COLUMNS)[number];
export type CompanyColumn = (typeof COMPANY_COLUMNS)[number];

/** Header names we recognise, compared lowercased without spaces, dashes or underscores. */
const CONTACT_ALIASES: Record<ContactColumn, string[]> = {
  name: ['name', 'fullname', 'contact', 'contactname', '姓名', '名字', '联系人', '联系人姓名'],
  email: ['email', 'emails', 'mail', 'emailaddress', 'e-mail', '邮箱', '电子邮件', '电子邮箱', '邮件', '邮件地址', '邮箱地址'],
  phone: ['phone', 'phones', 'mobile', 'tel', 'telephone', 'phonenumber', '电话', '手机', '手机号', '手机号码', '电话号码', '联系电话'],
  company: ['company', 'organization', 'organisation', 'account', 'companyname', '公司', '单位', '公司名称', '企业'],
  title: ['title', 'jobtitle', 'position', 'role', '职位', '职务', '头衔'],
  tags: ['tags', 'tag', 'labels', 'label', '标签'],
};

const COMPANY_ALIASES: Record<CompanyColumn, string[]> = {
  name: ['name', 'company', 'companyname', 'organization', 'organisation', 'account', '公司名称', '公司', '企业', '企业名称', '单位'],
  domains: ['domains', 'domain', 'website', '域名', '网站'],
  industry: ['industry', 'sector', '行业', '所属行业'],
  owner: ['owner', 'owneremail', '负责人', '所有者'],
  notes: ['notes', 'note', 'comments', 'remarks', '备注', '说明'],
};

function lookupOf<C extends string>(aliases: Record<C, string[]>): Map<string, C> {
  const lookup = new Map<string, C>();
  for (const [column, names] of Object.entries(aliases) as Array<[C, string[]]>) {
    for (const n of names) lookup.set(normaliseHeader(n), column);
  }
  return lookup;
}

const contactLookup = lookupOf(CONTACT_ALIASES);
const companyLookup = lookupOf(COMPANY_ALIASES);

function normaliseHeader(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_\-:：]/g, '');
}

export interface HeaderMap<C extends string = ContactColumn> {
  /** Column index → field; several email (or phone, or domain) columns all count. */
  fields: Map<number, C>;
  ignored: string[];
}

function mapWith<C extends string>(header: string[], lookup: Map<string, C>, repeatable: ReadonlySet<C>): HeaderMap<C> {
  const fields = new Map<number, C>();
  const ignored: string[] = [];
  const taken = new Set<C>();
  header.forEach((raw, i) => {
    const field = lookup.get(normaliseHeader(raw));
    // A second "name" or "company" column is ambiguous; extra email/phone columns are common (工作邮箱, 私人邮箱).
    if (field && (!taken.has(field) || repeatable.has(field))) {
      fields.set(i, field);
      taken.add(field);
    } else if (raw.trim()) {
      ignored.push(raw.trim());
    }
  });
  return { fields, ignored };
}

export function mapHeader(header: string[]): HeaderMap<ContactColumn> {
  return mapWith(header, contactLookup, new Set<ContactColumn>(['email', 'phone']));
}

export function mapCompanyHeader(header: string[]): HeaderMap<CompanyColumn> {
  return mapWith(header, companyLookup, new Set<CompanyColumn>(['domains']));
}
