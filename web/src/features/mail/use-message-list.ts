import { useCallback, useEffect, useRef, useState } from 'react';
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

export function toSummary(d: MessageDetail | MessageSummary): MessageSummary {
  const { id, mailboxId, threadId, access, date, from, to, cc, subject, snippet, seen, flagged, answered, draft, hasAttachments, size } = d;
  return { id, mailboxId, threadId, access, date, from, to, cc, subject, snippet, seen, flagged, answered, draft, hasAttachments, size };
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
  const [items, setItems] = useState<MessageSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const scopeRef = useRef(scope);
  scopeRef.current = scope;
  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;
  const key = `${scope.mailboxId}|${scope.folderId}|${scope.unread}|${scope.hasAttachments}|${scope.q ?? ''}`;

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    try {
      const page = await mailApi.list(scopeRef.current, null, PAGE);
      if (gen !== generation.current) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      if (gen === generation.current) setError(err);
    }
  }, []);

  useEffect(() => {
    setItems(null);
    setCursor(null);
    void reload();
  }, [key, reload]);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    try {
      const page = await mailApi.list(scopeRef.current, cursor, PAGE);
      if (gen !== generation.current) return;
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((m) => m.id));
        return [...(prev ?? []), ...page.items.filter((m) => !seen.has(m.id))];
      });
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore]);

  const place = useCallback((detail: MessageDetail) => {
    const summary = toSummary(detail);
    const belongs = matchesScope(detail, scopeRef.current);
    setItems((prev) => {
      if (!prev) return prev;
      const at = prev.findIndex((m) => m.id === summary.id);
      if (at !== -1) {
        // A message the user is looking at stays put when it stops matching a flag filter (read it, and it
        // would vanish under the cursor); it goes when it left its place.
        if (outOfPlace(detail, scopeRef.current)) return prev.filter((m) => m.id !== summary.id);
        const next = [...prev];
        next[at] = summary;
        return next;
      }
      // Search results are the search's: new mail does not join them.
      if (!belongs || scopeRef.current.q) return prev;
      const index = prev.findIndex((m) => before(summary, m));
      // Older than everything loaded while more pages remain: it will come with "load more".
      if (index === -1) return cursorRef.current ? prev : [...prev, summary];
      return [...prev.slice(0, index), summary, ...prev.slice(index)];
    });
  }, []);

  const patch = useCallback((id: string, change: Partial<MessageSummary>) => {
    setItems((prev) => prev?.map((m) => (m.id === id ? { ...m, ...change } : m)) ?? prev);
  }, []);

  const remove = useCallback((id: string) => {
    setItems((prev) => prev?.filter((m) => m.id !== id) ?? prev);
  }, []);

  return { items, error, hasMore: cursor !== null, loadingMore, loadMore, reload, place, patch, remove };
}
