import { api } from '../../api/client.ts';
import type { Contact, ListScope, MessageDetail, MessagePage, ReadableMailbox } from './types.ts';

const message = (id: string) => `/api/v1/messages/${encodeURIComponent(id)}`;

function listQuery(scope: ListScope, cursor: string | null, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (scope.folderId) q.set('folderId', scope.folderId);
  else if (scope.mailboxId) q.set('mailboxId', scope.mailboxId);
  if (scope.unread) q.set('unread', 'true');
  if (scope.hasAttachments) q.set('hasAttachments', 'true');
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

function searchQuery(scope: ListScope & { q: string }, cursor: string | null, limit: number): string {
  const q = new URLSearchParams({ q: scope.q, types: 'emails', limit: String(Math.min(limit, 50)) });
  if (scope.folderId) q.set('folderId', scope.folderId);
  if (scope.mailboxId) q.set('mailboxId', scope.mailboxId);
  if (scope.unread) q.set('unread', 'true');
  if (scope.hasAttachments) q.set('hasAttachments', 'true');
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

/** Typed calls for the mail routes; the feature's components import these, never raw paths. */
export const mailApi = {
  mailboxes: () => api.get<{ items: ReadableMailbox[] }>('/api/v1/mail/mailboxes'),
  list: (scope: ListScope, cursor: string | null, limit = 50): Promise<MessagePage> => {
    // A folder shows what is in it; the unified views leave out mail that is only in Trash or Junk.
    if (!scope.q)
      return api.get<MessagePage>(`${scope.folderId ? '/api/v1/messages' : '/api/v1/mail/messages'}?${listQuery(scope, cursor, limit)}`);
    // Search pages carry their own cursor (relevance within the newest matches, then older ones): "load more" works the same.
    return api.get<MessagePage>(`/api/v1/search?${searchQuery({ ...scope, q: scope.q }, cursor, limit)}`);
  },
  thread: (threadId: string) => api.get<MessagePage>(`/api/v1/messages?threadId=${encodeURIComponent(threadId)}&limit=100`),
  get: (id: string) => api.get<MessageDetail>(message(id)),
  change: (id: string, patch: { seen?: boolean; flagged?: boolean; folderId?: string }) =>
    api.patch<MessageDetail | { id: string; deleted: true }>(message(id), patch),
  remove: (id: string) => api.delete(message(id)),
  findContacts: (address: string) => api.get<{ items: Contact[] }>(`/api/v1/contacts?q=${encodeURIComponent(address)}&limit=5`),
  createContact: (name: string, address: string) => api.post<{ contact: Contact }>('/api/v1/contacts', { name, emails: [address] }),
};

/** URLs the browser loads itself (iframe, downloads, the event stream). */
export const mailUrls = {
  html: (id: string, images: boolean) => `${message(id)}/html?images=${images ? 1 : 0}`,
  attachment: (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`,
  raw: (id: string) => `${message(id)}/raw`,
  events: '/api/v1/events',
};
