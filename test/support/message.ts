import iconv from 'iconv-lite';
import { b64Word, encodeIso2022Jp, wrap76 } from './mime.ts';

/** The charsets tests write bodies and headers in. */
export type MailCharset = 'utf-8' | 'gbk' | 'big5' | 'iso-2022-jp';

export interface MailAttachment {
  filename: string;
  /** Default application/octet-stream. */
  contentType?: string;
  /** Default one zero byte. */
  content?: Buffer;
  /** Inline, referenced from the HTML as `cid:...`: goes into a multipart/related with it. */
  cid?: string;
}

/** One message as a test describes it: built into RFC 5322 source, or stored as rows (`insertMail`). */
export interface MailSpec {
  /** 'Name <address>' or an address; a non-ASCII name becomes an encoded word. */
  from: string;
  /** Default for the source: me@example.test. */
  to?: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  replyTo?: string | string[];
  subject: string;
  /** A Date, or a string written into the Date header as it is (rows parse it). Default: now. */
  date?: Date | string;
  /** With or without the angle brackets. */
  messageId?: string;
  inReplyTo?: string;
  /** Default: `inReplyTo`. */
  references?: string | string[];
  text?: string;
  html?: string;
  /** Of the bodies and the encoded words. Default utf-8. */
  charset?: MailCharset;
  /** More header fields, written as given after the usual ones ('List-Id', 'Precedence'...). */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

type Lines = Array<string | Buffer>;

const LABEL: Record<MailCharset, string> = { 'utf-8': 'UTF-8', gbk: 'GBK', big5: 'Big5', 'iso-2022-jp': 'ISO-2022-JP' };
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function encode(text: string, charset: MailCharset): Buffer {
  return charset === 'iso-2022-jp' ? encodeIso2022Jp(text) : charset === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset);
}

/** Header text as is when it is printable ASCII, else encoded words of at most 45 bytes each. */
function headerText(text: string, charset: MailCharset): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (chunk && encode(chunk + ch, charset).length > 45) {
      words.push(b64Word(LABEL[charset], encode(chunk, charset)));
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(b64Word(LABEL[charset], encode(chunk, charset)));
  return words.join(' ');
}

function address(value: string, charset: MailCharset): string {
  const m = /^(.*?)\s*<([^>]+)>$/.exec(value.trim());
  if (!m || PRINTABLE_ASCII.test(m[1]!)) return value;
  return `${headerText(m[1]!.replace(/^"|"$/g, ''), charset)} <${m[2]}>`;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const angle = (id: string) => (id.startsWith('<') ? id : `<${id}>`);

function leaf(subtype: 'plain' | 'html', body: string, charset: MailCharset): Lines {
  const text = body.replace(/\r?\n/g, '\r\n');
  const head = `Content-Type: text/${subtype}; charset=${LABEL[charset]}`;
  if (PRINTABLE_ASCII.test(text.replace(/\r\n/g, '')) && text.split('\r\n').every((l) => l.length <= 998)) return [head, '', text];
  return [head, 'Content-Transfer-Encoding: base64', '', wrap76(encode(text, charset).toString('base64'))];
}

function attachment(a: MailAttachment): Lines {
  const ascii = PRINTABLE_ASCII.test(a.filename) && !a.filename.includes('"');
  const name = ascii ? `name="${a.filename}"` : `name="${headerText(a.filename, 'utf-8')}"`;
  const filename = ascii ? `filename="${a.filename}"` : `filename*=UTF-8''${encodeURIComponent(a.filename)}`;
  return [
    `Content-Type: ${a.contentType ?? 'application/octet-stream'}; ${name}`,
    `Content-Disposition: ${a.cid ? 'inline' : 'attachment'}; ${filename}`,
    ...(a.cid ? [`Content-ID: ${angle(a.cid)}`] : []),
    'Content-Transfer-Encoding: base64',
    '',
    wrap76((a.content ?? Buffer.alloc(1)).toString('base64')),
  ];
}

function multipart(subtype: string, parts: Lines[]): Lines {
  const boundary = `=_tidings_${subtype}`;
  return [
    `Content-Type: multipart/${subtype}; boundary="${boundary}"`,
    '',
    ...parts.flatMap((p) => [`--${boundary}`, ...p]),
    `--${boundary}--`,
  ];
}

function content(spec: MailSpec, charset: MailCharset): Lines {
  const inline = spec.html ? (spec.attachments ?? []).filter((a) => a.cid) : [];
  const files = (spec.attachments ?? []).filter((a) => !inline.includes(a));
  const text = spec.text !== undefined ? leaf('plain', spec.text, charset) : null;
  const html =
    spec.html === undefined
      ? null
      : inline.length
        ? multipart('related', [leaf('html', spec.html, charset), ...inline.map(attachment)])
        : leaf('html', spec.html, charset);
  const body = text && html ? multipart('alternative', [text, html]) : (text ?? html ?? leaf('plain', '', charset));
  return files.length ? multipart('mixed', [body, ...files.map(attachment)]) : body;
}

/**
 * RFC 5322 source for a message, CRLF throughout: a text/plain or text/html leaf, multipart/alternative
 * for both, multipart/related for inline (cid) images, multipart/mixed for attachments. Deterministic:
 * the same spec gives the same bytes.
 */
export function buildMessage(spec: MailSpec): Buffer {
  const charset = spec.charset ?? 'utf-8';
  const to = list(spec.to ?? 'me@example.test');
  const cc = list(spec.cc);
  const bcc = list(spec.bcc);
  const replyTo = list(spec.replyTo);
  const references = list(spec.references ?? spec.inReplyTo);
  const date = spec.date ?? new Date();
  const head = [
    `From: ${address(spec.from, charset)}`,
    ...(to.length ? [`To: ${to.map((a) => address(a, charset)).join(', ')}`] : []),
    ...(cc.length ? [`Cc: ${cc.map((a) => address(a, charset)).join(', ')}`] : []),
    ...(bcc.length ? [`Bcc: ${bcc.map((a) => address(a, charset)).join(', ')}`] : []),
    ...(replyTo.length ? [`Reply-To: ${replyTo.map((a) => address(a, charset)).join(', ')}`] : []),
    `Subject: ${headerText(spec.subject, charset)}`,
    `Date: ${typeof date === 'string' ? date : date.toUTCString().replace('GMT', '+0000')}`,
    ...(spec.messageId ? [`Message-ID: ${angle(spec.messageId)}`] : []),
    ...(spec.inReplyTo ? [`In-Reply-To: ${angle(spec.inReplyTo)}`] : []),
    ...(references.length ? [`References: ${references.map(angle).join(' ')}`] : []),
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  const lines = [...head, ...content(spec, charset)];
  return Buffer.concat(lines.map((l) => Buffer.concat([typeof l === 'string' ? Buffer.from(l, 'utf8') : l, Buffer.from('\r\n')])));
}
