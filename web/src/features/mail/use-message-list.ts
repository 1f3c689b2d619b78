import { useCallback, useMemo } from 'react';
import { useKeysetQuery } from '../../api/use-keyset-query.ts';
import { mailApi } from './api.ts';
import type { ListScope, MessageDetail, MessageSummary } from './types.ts';

const PAGE = 50;

/** Newest first, then by id: the server's keyset order, so live inserts land where a reload would put them. */
function before(a: MessageSummary, b: MessageSummary): boolean {
  const da = a.date ?? '';
  const db = b.date ?? '';
  if (da !== db) return da > db;
  return a.id > b.id;
}

/** The fields of a summary; typed as a record of every key, so a field added to the API cannot be left out here. */
const summaryFields: Record<keyof MessageSummary, true> = {
  id: true,
  mailboxId: true,
  threadId: true,
  access: true,
  date: true,
  from: true,
  to: true,
  cc: true,
  subject: true,
  snippet: true,
  seen: true,
  flagged: true,
  answered: true,
  draft: true,
  hasAttachments: true,
  size: true,
  labels: true,
  headerDate: true,
  receivedAt: true,
  loggedByUserId: true,
};

/** A message as the list shows it: a detail cut down to its summary's fields. */
export function toSummary(d: MessageDetail | MessageSummary): MessageSummary {
  return Object.fromEntries(Object.keys(summaryFields).map((key) => [key, d[key as keyof MessageSummary]])) as MessageSummary;
}

const BINNED = new Set(['trash', 'junk']);

/** Outside its place: another mailbox or folder, or (in the views that are not one folder) only in Trash or Junk. */
function outOfPlace(d: MessageDetail, scope: ListScope): boolean {
  if (scope.mailboxId && d.mailboxId !== scope.mailboxId) return true;
  if (scope.folderId) return !d.folders.some((f) => f.id === scope.folderId);
  // A deleted message lands in a synced Trash; the unified views should not show it again live.
  return d.folders.length > 0 && d.folders.every((f) => f.role !== null && BINNED.has(f.role));
}

/** Whether a message belongs in the list the user is looking at. */
export function matchesScope(d: MessageDetail, scope: ListScope): boolean {
  if (outOfPlace(d, scope)) return false;
  if (scope.unread && d.seen) return false;
  if (scope.hasAttachments && !d.hasAttachments) return false;
  return true;
}

export interface MessageList {
  items: MessageSummary[] | null;
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): Promise<void>;
  reload(): Promise<void>;
  /** Puts a message in its place (new mail, or one that changed), or takes it out when it left the scope. */
  place(detail: MessageDetail): void;
  patch(id: string, change: Partial<MessageSummary>): void;
  remove(id: string): void;
}

/** The message list of one scope with keyset "load more"; a scope change starts over. */
export function useMessageList(scope: ListScope): MessageList {
  const { mailboxId, folderId, unread, hasAttachments, q } = scope;
  const list = useKeysetQuery(
    ['messages', { mailboxId, folderId, unread, hasAttachments, q }],
    (cursor) => mailApi.list({ mailboxId, folderId, unread, hasAttachments, q }, cursor, PAGE),
    { keepPrevious: false },
  );
  const { setItems, hasMore } = list;
  // A message can move between pages while the user reads (new mail, a flag changed): show it once.
  const items = useMemo(() => (list.items ? [...new Map(list.items.map((m) => [m.id, m])).values()] : null), [list.items]);

  const place = useCallback(
    (detail: MessageDetail) => {
      const summary = toSummary(detail);
      const belongs = matchesScope(detail, scope);
      setItems((prev) => {
        const current = prev ?? [];
        const at = current.findIndex((m) => m.id === summary.id);
        if (at !== -1) {
          // A message the user is looking at stays put when it stops matching a flag filter (read it, and it
          // would vanish under the cursor); it goes when it left its place.
          if (outOfPlace(detail, scope)) return current.filter((m) => m.id !== summary.id);
          const next = [...current];
          next[at] = summary;
          return next;
        }
        // Search results are the search's: new mail does not join them.
        if (!belongs || scope.q) return current;
        const index = current.findIndex((m) => before(summary, m));
        // Older than everything loaded while more pages remain: it will come with "load more".
        if (index === -1) return hasMore ? current : [...current, summary];
        return [...current.slice(0, index), summary, ...current.slice(index)];
      });
    },
    [scope, setItems, hasMore],
  );

  const patch = useCallback(
    (id: string, change: Partial<MessageSummary>) => setItems((prev) => (prev ?? []).map((m) => (m.id === id ? { ...m, ...change } : m))),
    [setItems],
  );
  const remove = useCallback((id: string) => setItems((prev) => (prev ?? []).filter((m) => m.id !== id)), [setItems]);

  return {
    items,
    error: list.error,
    hasMore,
    loadingMore: list.loadingMore,
    loadMore: async () => {
      await list.loadMore();
    },
    reload: list.reload,
    place,
    patch,
    remove,
  };
}
