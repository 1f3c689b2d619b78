/**
 * Template merge fields: `{{contact.firstName}}` and the others in MERGE_FIELDS are filled from the record;
 * anything else in {{ }} is left exactly as written. Pure: the caller looks the values up.
 */

export const MERGE_FIELDS = [
  'contact.firstName',
  'contact.lastName',
  'contact.name',
  'contact.email',
  'contact.title',
  'company.name',
  'company.domain',
  'deal.name',
  'deal.amount',
  'me.name',
  'me.email',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

const KNOWN = new Set<string>(MERGE_FIELDS);
const PLACEHOLDER = /\{\{\s*([A-Za-z]+\.[A-Za-z]+)\s*\}\}/g;

export type MergeValues = Partial<Record<MergeField, string | null>>;

/** The known fields a text uses, in order of first use. */
export function fieldsIn(...texts: string[]): MergeField[] {
  const out: MergeField[] = [];
  for (const text of texts)
    for (const m of text.matchAll(PLACEHOLDER)) if (KNOWN.has(m[1]!) && !out.includes(m[1] as MergeField)) out.push(m[1] as MergeField);
  return out;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function fill(text: string, values: MergeValues, missing: Set<string>, html: boolean): string {
  return text.replace(PLACEHOLDER, (whole, field: string) => {
    if (!KNOWN.has(field)) return whole;
    const value = values[field as MergeField];
    if (value === undefined || value === null || value.trim() === '') {
      missing.add(field);
      return whole;
    }
    // A value never ends a header line: the subject takes it on one line.
    const flat = value.replace(/[\r\n\u2028\u2029]+/g, ' ');
    return html ? escapeHtml(flat) : flat;
  });
}

/** The subject and HTML with known fields filled (HTML-escaped in the HTML); a field with no value stays and is listed. */
export function renderTemplate(
  template: { subject: string; html: string },
  values: MergeValues,
): { subject: string; html: string; missing: MergeField[] } {
  const missing = new Set<string>();
  const subject = fill(template.subject, values, missing, false);
  const html = fill(template.html, values, missing, true);
  return { subject, html, missing: MERGE_FIELDS.filter((f) => missing.has(f)) };
}

// Han, Hiragana, Katakana, Hangul: names written without spaces, family name first.
const CJK = /^[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]+$/u;
/** Chinese family names of two characters; every other CJK name is taken to have a one-character one. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '令狐',
  '端木',
  '西门',
  '南宫',
  '轩辕',
  '歐陽',
  '司馬',
  '諸葛',
];

/**
 * A contact has one `name`. First and last name from it:
 * - Latin and other spaced names: firstName is the first word, lastName the rest ("Ada King Lovelace" → Ada / King Lovelace).
 * - A CJK name without spaces is family name first: the surname is its first character (two for the
 *   compound surnames listed above), firstName the given name after it ("王小明" → 小明 / 王; "欧阳娜娜" → 娜娜 / 欧阳).
 *   A name of one character, or only a surname, gives the whole name as firstName.
 */
export function splitName(name: string | null | undefined): { firstName: string | null; lastName: string | null } {
  const n = (name ?? '').trim().replace(/\s+/g, ' ');
  if (!n) return { firstName: null, lastName: null };
  if (!n.includes(' ') && CJK.test(n)) {
    const surname = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length) ?? (n.length > 1 ? n[0]! : '');
    if (!surname) return { firstName: n, lastName: null };
    return { firstName: n.slice(surname.length), lastName: surname };
  }
  const [first, ...rest] = n.split(' ');
  return { firstName: first!, lastName: rest.length ? rest.join(' ') : null };
}
