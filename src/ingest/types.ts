import type { BlobLocation } from './blob-pack.ts';

export interface Address {
  name: string | null;
  /** Lowercased and trimmed; '' when the header held something that is not an address. */
  address: string;
}

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  /** Hex SHA-256 of the decoded bytes: the blob key. */
  sha256: string;
}

export interface ListHeaders {
  listId: string | null;
  listUnsubscribe: string | null;
  precedence: string | null;
  autoSubmitted: string | null;
}

/** What the top-level header block says (headers.ts reads it, even from a message mailparser rejects). */
export interface EnvelopeHeaders {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  date: Date | null;
  from: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  sender: Address | null;
  headers: ListHeaders;
}

export interface ParsedMessage extends EnvelopeHeaders {
  /** Plain text body, from text/plain or derived from the HTML. */
  text: string | null;
  /** Sanitized HTML (see sanitizeHtml), prepared for display (display-html.ts), or null. */
  html: string | null;
  /** The HTML body was longer than MAX_DISPLAY_HTML_CHARS: `html` is null and `text` comes from it. */
  htmlTooBig: boolean;
  /** The source was over the size cap: it holds the headers only and `size` is the server's. */
  tooLarge: boolean;
  /** First ~200 characters of text, whitespace collapsed. */
  snippet: string;
  attachments: ParsedAttachment[];
  /** Length of the raw source in bytes. */
  size: number;
  /** Hex SHA-256 of the raw source: its content identity and blob key. */
  sha256: string;
  /** Why parsing failed partly or fully; the record still holds all that could be read. */
  parseError: string | null;
}

export interface ParsedBlob {
  sha256: string;
  bytes: Buffer;
  /**
   * The raw source without its attachments' base64 (dehydrate.ts), to store instead of `bytes` beside
   * the attachments' blobs: reading it back gives `bytes`.
   */
  dehydrated?: Buffer;
}

export interface ParseResult {
  message: ParsedMessage;
  /** The raw source first, then each distinct attachment (empty when the pool stored them: storedBlobs). */
  blobs: ParsedBlob[];
  /** Where the parse worker appended the blobs (pool with blobDir): not yet flushed nor indexed. */
  storedBlobs?: BlobLocation[];
}
