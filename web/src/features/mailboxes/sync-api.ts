import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/schema-types.ts';

/** GET /mailboxes/:id/sync-status: state, progress, folders, cursors, recent errors, retry list. */
export type SyncReport = ResponseOf<'/api/v1/mailboxes/{id}/sync-status', 'get'>;
export type SyncFailure = NonNullable<SyncReport['lastFailure']>;

export const syncReportKey = (mailboxId: string) => ['sync-status', mailboxId] as const;

/** A mailbox's sync report; the live event stream (useSyncEvents) marks it stale whenever the sync moves. */
export function useSyncReport(mailboxId: string) {
  return useQuery({
    queryKey: syncReportKey(mailboxId),
    queryFn: () => api.get<SyncReport>(`/api/v1/mailboxes/${encodeURIComponent(mailboxId)}/sync-status`),
  });
}
