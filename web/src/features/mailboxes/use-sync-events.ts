import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { notificationsKey } from '../notifications/api.ts';
import { syncReportKey } from './sync-api.ts';

const EVENTS_URL = '/api/v1/events';

/**
 * One event stream per tab for the sync's news: mailbox.progress and mailbox.status re-read that mailbox's
 * sync report; mailbox.attention also re-reads the mailbox list (its status) and the notifications. The
 * stream carries the mailboxes the user owns; an admin's bell also reloads on a timer (useNotifications).
 */
export function useSyncEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    const source = new EventSource(EVENTS_URL, { withCredentials: true });
    const mailboxOf = (e: MessageEvent<string>): string | null => {
      try {
        const data = JSON.parse(e.data) as { mailboxId?: unknown };
        return typeof data.mailboxId === 'string' ? data.mailboxId : null;
      } catch {
        return null; // a malformed event is skipped; the next load corrects anything missed
      }
    };
    const onSync = (e: MessageEvent<string>) => {
      const id = mailboxOf(e);
      if (id) void client.invalidateQueries({ queryKey: syncReportKey(id) });
    };
    const onAttention = (e: MessageEvent<string>) => {
      onSync(e);
      void client.invalidateQueries({ queryKey: ['mailboxes'] });
      void client.invalidateQueries({ queryKey: notificationsKey });
    };
    source.addEventListener('mailbox.progress', onSync);
    source.addEventListener('mailbox.status', onSync);
    source.addEventListener('mailbox.attention', onAttention);
    // Back after a disconnect: anything may have moved meanwhile.
    source.onopen = () => void client.invalidateQueries({ queryKey: ['sync-status'] });
    return () => source.close();
  }, [client]);
}
