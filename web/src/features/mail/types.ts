import type { ItemOf, ResponseOf } from '../../api/schema-types.ts';

/** Shapes of the mail API as the web app receives them, named from the generated OpenAPI types. */
export type MessageSummary = ItemOf<'/api/v1/messages'>;
export type MailAccess = MessageSummary['access'];
export type Address = MessageSummary['from'][number];
export type MessageDetail = ResponseOf<'/api/v1/messages/{id}', 'get'>;
export type FolderRef = MessageDetail['folders'][number];
export type Attachment = MessageDetail['attachments'][number];
export type ReadableMailbox = ItemOf<'/api/v1/mail/mailboxes'>;
export type FolderNode = ReadableMailbox['folders'][number];
export type MessagePage = ResponseOf<'/api/v1/messages', 'get'>;

/** What the list shows: everything, one mailbox, or one folder; narrowed by the filters. */
export interface ListScope {
  mailboxId: string | null;
  folderId: string | null;
  unread: boolean;
  hasAttachments: boolean;
  /** A search (GET /api/v1/search) instead of the folder's list: ranked, paged with the search's cursor. */
  q: string | null;
}

export type Contact = ResponseOf<'/api/v1/contacts/{id}', 'get'>['contact'];

export type MailEventType = 'message.created' | 'message.updated' | 'message.deleted';
