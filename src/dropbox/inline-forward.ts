/**
 * Inline forwards: the original quoted in the body under a separator and a small header block, in
 * each client's own words. Shapes (docs/drop-box.md; samples in fixtures/):
 *   Gmail        "---------- Forwarded message ---------" then From/Date/Subject/To
 *   Outlook      "From: … Sent: … To: … Subject: …" under a rule of underscores (or nothing);
 *                Chinese Outlook "发件人: … 发送时间: … 收件人: … 主题: …"
 *   Apple Mail   "Begin forwarded message:" then From/Subject/Date/To
 *   Thunderbird  "-------- Forwarded Message --------" then Subject/Date/From/To
 *   QQ Mail      "------------------ 原始邮件 ------------------" then 发件人/发送时间/收件人/主题
 *   Foxmail      the same, or "------------------ Original ------------------" with From/Date/To/Subject
 *   NetEase 163  "---- 转发的邮件 ----" or "-------- 转发邮件信息 --------" then 发件人/发送日期/收件人/主题
 */

export type ForwardField = 'from' | 'to' | 'cc' | 'date' | 'subject';

const LABELS: Record<string, ForwardField> = {
  from: 'from',
  发件人: 'from',
  发信人: 'from',
  寄件者: 'from',
  to: 'to',
  收件人: 'to',
  收件者: 'to',
  cc: 'cc',
  抄送: 'cc',
  抄送人: 'cc',
  副本: 'cc',
  date: 'date',
  sent: 'date',
  发送时间: 'date',
  发送日期: 'date',
  日期: 'date',
  时间: 'date',
  寄件日期: 'date',
  subject: 'subject',
  主题: 'subject',
  主旨: 'subject',
  标题: 'subject',
};

const PHRASES = [
  'forwarded message',
  'original message',
  'original',
  '原始邮件',
  '转发的邮件',
  '转发邮件信息',
  '已转发邮件',
  '转发的消息',
  '原始消息',
];
const RULED = new RegExp(`^[-_=*\\s]{2,}(${PHRASES.join('|')})[-_=*\\s]{2,}$`, 'i');
const BEGIN = /^(begin forwarded message|以下为转发的邮件|转发的邮件如下)\s*[:：]?$/i;
const UNDERSCORES = /^_{10,}$/;
const HEADER_LINE = /^\|?\s*\**\s*([A-Za-z]+|[\u4e00-\u9fff]{2,4})\s*\**\s*[:：|]\s*(.*?)\s*\|?\s*$/;

export interface InlineForward {
  /** The separator the client wrote, or 'header block' for Outlook's bare one. */
  marker: string;
  fields: Partial<Record<ForwardField, string>>;
  body: string;
}

function headerField(line: string): { field: ForwardField; value: string } | null {
  const r = HEADER_LINE.exec(line.replace(/\u00a0/g, ' ').trim());
  if (!r) return null;
  const field = LABELS[r[1].toLowerCase()];
  return field ? { field, value: r[2].trim() } : null;
}

/** Reads the header block from `start` (blank lines before it skipped); null when there is none with a From. */
function readBlock(lines: string[], start: number): { fields: InlineForward['fields']; end: number } | null {
  let i = start;
  while (i < lines.length && lines[i].trim() === '') i++;
  const fields: InlineForward['fields'] = {};
  let last: ForwardField | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      // QQ Mail leaves an empty line where the Cc would be: a header right after it still belongs to the block.
      const next = i + 1 < lines.length ? headerField(lines[i + 1]) : null;
      if (next && !(next.field in fields)) continue;
      break;
    }
    const h = headerField(line);
    if (h && !(h.field in fields)) {
      fields[h.field] = h.value;
      last = h.field;
    } else if ((last === 'to' || last === 'cc') && /@/.test(line)) {
      // A long recipient list wraps onto the next line.
      fields[last] = `${fields[last]} ${line.trim()}`;
    } else break;
  }
  return fields.from && /@/.test(fields.from) ? { fields, end: i } : null;
}

/** Clients that quote what they forward ("> ") leave every line of it quoted: take the quotes off. */
function unquote(lines: string[]): string[] {
  const quoted = lines.filter((l) => l.trim() !== '');
  if (!quoted.length || !quoted.every((l) => /^\s*>/.test(l))) return lines;
  return lines.map((l) => l.replace(/^\s*> ?/, ''));
}

/** The first inline forward in a message's text, or null when the text holds none. */
export function findInlineForward(text: string): InlineForward | null {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i].replace(/\u00a0/g, ' ').trim();
    const stripped = line.replace(/^>\s*/, '');
    const ruled = RULED.exec(stripped) ?? BEGIN.exec(stripped);
    let block: ReturnType<typeof readBlock> = null;
    let marker = '';
    if (ruled || UNDERSCORES.test(stripped)) {
      block = readBlock(unquote(all.slice(i + 1)), 0);
      marker = ruled ? ruled[1] : 'underscores';
      if (block) block.end += i + 1;
    } else {
      // Outlook without a rule: a header block that starts with From and names when it was sent.
      const h = headerField(stripped);
      if (h?.field === 'from') {
        block = readBlock(all, i);
        if (block && !(block.fields.date && block.fields.subject)) block = null;
        marker = 'header block';
      }
    }
    if (!block) continue;
    const body = unquote(all.slice(block.end)).join('\n').trim();
    return { marker, fields: block.fields, body };
  }
  return null;
}
