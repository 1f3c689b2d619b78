import { EventEmitter } from 'node:events';
import type { MailParser } from 'mailparser';
import { decodeText } from './charset.ts';
import { sha256Hex } from './blob-store.ts';
import { dehydrate, spanFor, type EncodedSpan } from './dehydrate.ts';
import { readBodyFast } from './fast-mime.ts';
import { readEnvelope, readRawHeaders, type RawHeaders } from './headers.ts';
import { bigHtmlToText, htmlToText, sanitizeHtml } from './sanitize-html.ts';
import type { EnvelopeHeaders, ParsedAttachment, ParsedBlob, ParsedMessage, ParseResult } from './types.ts';

// mailparser skips its charset decoder for bodies labelled (or defaulting to) UTF-8, so a GBK body
// labelled utf-8 would reach us already mangled. We tag every leaf's charset so that all bodies go
// through the `Iconv` hook below, where decodeText sees the raw bytes and repairs lying labels.
const CHARSET_TAG = 'x-tidings-sniff:';
// A text part larger than this is cut: nobody reads 32 MB of text in a CRM, and it bounds memory.
const MAX_TEXT_PART_BYTES = 32 * 1024 * 1024;
const SNIPPET_LENGTH = 200;
/**
 * HTML longer than this is not kept for display: sanitizing it costs the worker hundreds of MB (a 15 MB
 * body ran it out of heap) and no reader scrolls through it. Its text is kept; the original is a download.
 */
export const MAX_DISPLAY_HTML_CHARS = 2 * 1024 * 1024;

/** Node-iconv-shaped decoder for mailparser's `Iconv` option: buffers one text part, decodes at end. */
class SniffingDecoder extends EventEmitter {
  private readonly declared: string;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(charset: string) {
    super();
    this.declared = charset.startsWith(CHARSET_TAG) ? charset.slice(CHARSET_TAG.length) : charset;
  }

  write(chunk: Buffer): boolean {
    if (this.size < MAX_TEXT_PART_BYTES) {
      const room = MAX_TEXT_PART_BYTES - this.size;
      this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      this.size += Math.min(chunk.length, room);
    }
    return true;
  }

  end(): void {
    const bytes = Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.emit('data', Buffer.from(decodeText(bytes, this.declared || null), 'utf8'));
    this.emit('end');
  }
}

interface MailNode {
  decoder?: unknown;
  charset?: string;
}

function tagCharsets(parser: MailParser): void {
  const target = parser as unknown as { createNode?: (node: unknown) => MailNode };
  const original = target.createNode;
  // If a future mailparser renames this internal, we fall back to its own decoding: worse for
  // mislabelled mail, but still correct for honest mail.
  if (typeof original !== 'function') return;
  target.createNode = function (this: unknown, node: unknown): MailNode {
    const created = original.call(this, node);
    if (created.decoder) created.charset = CHARSET_TAG + (created.charset ?? '');
    return created;
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export function snippetOf(text: string | null): string {
  if (!text) return '';
  // Only look at the start: collapsing whitespace in a 30 MB text to keep 200 chars is waste.
  return text
    .slice(0, SNIPPET_LENGTH * 8)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, SNIPPET_LENGTH);
}

export interface BodyResult {
  text: string | null;
  html: string | null;
  attachments: Array<ParsedAttachment & { bytes: Buffer; base64At?: [number, number] }>;
  errors: string[];
  conversionError: string | null;
}

/**
 * mailparser is the fallback for the shapes fast-mime.ts leaves to it. Loading it (with html-to-text,
 * entity and Japanese encoding tables) costs each parse worker ~10 MB of memory, so it is loaded the
 * first time a message needs it: many imports never do.
 */
let mailparserModule: Promise<typeof import('mailparser')> | null = null;
const loadMailparser = () => (mailparserModule ??= import('mailparser'));

/** The body as mailparser reads it: the slow, tolerant path (and the fast reader's reference). */
export async function parseBody(raw: Buffer): Promise<BodyResult> {
  const { MailParser } = await loadMailparser();
  return new Promise((resolve) => {
    const result: BodyResult = { text: null, html: null, attachments: [], errors: [], conversionError: null };
    let settled = false;
    const finish = (err?: unknown) => {
      if (err) result.errors.push(errorText(err));
      if (settled) return;
      settled = true;
      resolve(result);
    };
    let parser: MailParser;
    try {
      parser = new MailParser({
        Iconv: SniffingDecoder as unknown as NonNullable<ConstructorParameters<typeof MailParser>[0]>['Iconv'],
        checksumAlgo: 'sha256',
        skipImageLinks: true,
        skipTextToHtml: true,
        skipTextLinks: true,
        maxHeadSize: 8 * 1024 * 1024,
        // html-to-text is superlinear on huge markup; past this the text is left empty (reported).
        maxHtmlLengthToParse: 4 * 1024 * 1024,
      });
      tagCharsets(parser);
    } catch (err) {
      finish(err);
      return;
    }
    parser.on('data', (data: unknown) => {
      const item = data as { type: string } & Record<string, unknown>;
      if (item.type === 'text') {
        if (typeof item.text === 'string') result.text = item.text;
        if (typeof item.html === 'string') result.html = item.html;
        if (item.textConversionError) result.conversionError = `html-to-text: ${errorText(item.textConversionError)}`;
        return;
      }
      if (item.type !== 'attachment') return;
      const att = item as unknown as {
        content: NodeJS.ReadableStream;
        release: (() => void) | null;
        contentType: string;
        filename?: string;
        cid?: string;
        related?: boolean;
        contentDisposition?: string;
        checksum?: string;
      };
      const chunks: Buffer[] = [];
      let length = 0;
      att.content.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
      });
      att.content.on('error', (err) => {
        result.errors.push(`attachment: ${errorText(err)}`);
        att.release?.();
      });
      att.content.on('end', () => {
        const bytes = Buffer.concat(chunks, length);
        result.attachments.push({
          filename: att.filename ?? null,
          contentType: (att.contentType || 'application/octet-stream').toLowerCase(),
          size: bytes.length,
          contentId: att.cid ?? null,
          inline: att.contentDisposition === 'inline' || att.related === true,
          sha256: att.checksum ?? sha256Hex(bytes),
          bytes,
        });
        att.release?.();
      });
    });
    parser.on('error', (err) => finish(err));
    parser.on('end', () => finish());
    parser.end(raw);
  });
}

const EMPTY_ENVELOPE: EnvelopeHeaders = {
  messageId: null,
  inReplyTo: null,
  references: [],
  subject: null,
  date: null,
  from: [],
  to: [],
  cc: [],
  bcc: [],
  replyTo: [],
  sender: null,
  headers: { listId: null, listUnsubscribe: null, precedence: null, autoSubmitted: null },
};

/** The record for a message we could not parse at all: identity, size and whatever headers read. */
export function failedParse(raw: Buffer, reason: string): ParseResult {
  const sha256 = sha256Hex(raw);
  let envelope = EMPTY_ENVELOPE;
  try {
    envelope = readEnvelope(raw);
  } catch (err) {
    reason += `; headers: ${errorText(err)}`;
  }
  return {
    message: {
      ...envelope,
      text: null,
      html: null,
      htmlTooBig: false,
      tooLarge: false,
      snippet: '',
      attachments: [],
      size: raw.length,
      sha256,
      parseError: reason,
    },
    blobs: [{ sha256, bytes: raw }],
  };
}

/**
 * Parses one RFC 822 source in the current thread. Never rejects: whatever fails is reported in
 * `message.parseError` and the record holds all that could be read. The raw source is the first blob.
 */
export async function parseMessage(raw: Buffer): Promise<ParseResult> {
  const sha256 = sha256Hex(raw);
  const errors: string[] = [];
  let envelope = EMPTY_ENVELOPE;
  let headers: RawHeaders | null = null;
  try {
    headers = readRawHeaders(raw);
    envelope = readEnvelope(raw, headers);
  } catch (err) {
    errors.push(`headers: ${errorText(err)}`);
  }
  let body: BodyResult | null = null;
  try {
    const fast = headers && readBodyFast(raw, headers);
    if (fast) body = { ...fast, errors: [], conversionError: null };
  } catch {
    // Whatever surprised the fast reader is mailparser's to handle (and to report).
  }
  body ??= await parseBody(raw);
  errors.push(...body.errors);
  let html: string | null = null;
  const htmlTooBig = (body.html?.length ?? 0) > MAX_DISPLAY_HTML_CHARS;
  if (body.html && !htmlTooBig) {
    try {
      html = sanitizeHtml(body.html);
    } catch (err) {
      errors.push(`sanitize: ${errorText(err)}`);
    }
  }
  let text = body.text && body.text.trim() !== '' ? body.text : null;
  // mailparser derives text from HTML only in some layouts (not for an HTML body beside attachments)
  // and gives up on large or deep HTML; our linear converter covers those.
  if (text === null && (html || htmlTooBig)) {
    try {
      text = (htmlTooBig ? bigHtmlToText(body.html!) : htmlToText(html!)) || null;
    } catch (err) {
      errors.push(`html-to-text: ${errorText(err)}`);
    }
  }
  if (text === null && body.conversionError) errors.push(body.conversionError);
  const blobs: ParsedBlob[] = [{ sha256, bytes: raw }];
  const seen = new Set([sha256]);
  const spans: EncodedSpan[] = [];
  const attachments: ParsedAttachment[] = body.attachments.map(({ bytes, base64At, ...meta }) => {
    if (!seen.has(meta.sha256)) {
      seen.add(meta.sha256);
      blobs.push({ sha256: meta.sha256, bytes });
    }
    const span = base64At && spanFor(raw, base64At[0], base64At[1], meta.sha256, bytes);
    if (span) spans.push(span);
    return meta;
  });
  // Stored without the attachments' base64, which their own blobs already hold (dehydrate.ts).
  const dehydrated = spans.length ? dehydrate(raw, spans) : null;
  if (dehydrated) blobs[0].dehydrated = dehydrated;
  const message: ParsedMessage = {
    ...envelope,
    text,
    html,
    htmlTooBig,
    tooLarge: false,
    snippet: snippetOf(text),
    attachments,
    size: raw.length,
    sha256,
    parseError: errors.length ? errors.join('; ') : null,
  };
  return { message, blobs };
}
