export type ContactColumn = 'name' | 'email' | 'phone' | 'company' | 'title' | 'tags';

/** Header names we recognise, compared lowercased without spaces, dashes or underscores. */
const ALIASES: Record<ContactColumn, string[]> = {
  name: ['name', 'fullname', 'contact', 'contactname', '姓名', '名字', '联系人', '联系人姓名'],
  email: ['email', 'emails', 'mail', 'emailaddress', 'e-mail', '邮箱', '电子邮件', '电子邮箱', '邮件', '邮件地址', '邮箱地址'],
  phone: ['phone', 'phones', 'mobile', 'tel', 'telephone', 'phonenumber', '电话', '手机', '手机号', '手机号码', '电话号码', '联系电话'],
  company: ['company', 'organization', 'organisation', 'account', 'companyname', '公司', '单位', '公司名称', '企业'],
  title: ['title', 'jobtitle', 'position', 'role', '职位', '职务', '头衔'],
  tags: ['tags', 'tag', 'labels', 'label', '标签'],
};

const lookup = new Map<string, ContactColumn>();
for (const [column, names] of Object.entries(ALIASES) as Array<[ContactColumn, string[]]>) {
  for (const n of names) lookup.set(normaliseHeader(n), column);
}

function normaliseHeader(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_\-:：]/g, '');
}

export interface HeaderMap {
  /** Column index → field; several email (or phone) columns all count. */
  fields: Map<number, ContactColumn>;
  ignored: string[];
}

export function mapHeader(header: string[]): HeaderMap {
  const fields = new Map<number, ContactColumn>();
  const ignored: string[] = [];
  const taken = new Set<ContactColumn>();
  header.forEach((raw, i) => {
    const field = lookup.get(normaliseHeader(raw));
    // A second "name" or "company" column is ambiguous; extra email/phone columns are common (工作邮箱, 私人邮箱).
    if (field && (!taken.has(field) || field === 'email' || field === 'phone')) {
      fields.set(i, field);
      taken.add(field);
    } else if (raw.trim()) {
      ignored.push(raw.trim());
    }
  });
  return { fields, ignored };
}
