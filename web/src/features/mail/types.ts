/** Shapes of the mail API as the web app receives them (see src/store/presenters.ts and src/api/routes/message-html.ts). */

export type MailAccess = 'full' | 'subject' | 'metadata';

export interface Address {
  name: string | null;
  address: string;
}

export interface MessageSummary {
  id: string;
  mailboxId: string;
  threadId: string | null;
  access: MailAccess;
  date: string | null;
  from: Address[];
  to: Address[];
  cc: Address[];
  subject: string | null;
  snippet: string | null;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  hasAttachments: boolean | null;
  size: number;
}

export interface FolderRef {
  id: string;
  name: string;
  role: string | null;
}

export interface Attachment {
  id: string;
  filename: string | null;
  contentType: string;
  size: number;
  inline: boolean;
  contentId: string | null;
}

export interface MessageDetail extends MessageSummary {
  messageId: string | null;
  bcc: Address[];
  replyTo: Address[];
  text: string | null;
  html: string | null;
  folders: FolderRef[];
  attachments: Attachment[];
}

export interface FolderNode {
  id: string;
  name: string;
  path: string;
  role: string | null;
  selected: boolean;
  unread: number;
  total: number;
}

export interface ReadableMailbox {
  id: string;
  email: string;
  displayName: string | null;
  access: MailAccess;
  owned: boolean;
  folders: FolderNode[];
}

export interface MessagePage {
  items: MessageSummary[];
  nextCursor: string | null;
}

/** What the list shows: everything, one mailbox, or one folder; narrowed by the filters. */
export interface ListScope {
  mailboxId: string | null;
  folderId: string | null;
  unread: boolean;
  hasAttachments: boolean;
  /** A search (GET /api/v1/search) instead of the folder's list: ranked, paged with the search's cursor. */
  q: string | null;
}

export interface Contact {
  id: string;
  name: string;
  emails: Array<{ id: string; address: string; isPrimary: boolean }>;
  company: { id: string; name: string } | null;
  title: string | null;
}

export type MailEventType = 'message.created' | 'message.updated' | 'message.deleted';
