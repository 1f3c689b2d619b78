import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ResponseOf } from '../../api/schema-types.ts';

export type NotificationList = ResponseOf<'/api/v1/notifications', 'get'>;
export type AppNotification = NotificationList['items'][number];

export const notificationsKey = ['notifications'] as const;

/** Reloads this often: an admin is told about mailboxes they do not own, whose events their stream does not carry. */
const POLL_MS = 30_000;

/** The signed-in user's latest notifications and the unread count, with "mark read" and "mark all read". */
export function useNotifications() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: notificationsKey,
    queryFn: () => api.get<NotificationList>('/api/v1/notifications?limit=20'),
    refetchInterval: POLL_MS,
  });
  const settle = { onSettled: () => client.invalidateQueries({ queryKey: notificationsKey }) };
  const markRead = useMutation({ mutationFn: (id: string) => api.post(`/api/v1/notifications/${encodeURIComponent(id)}/read`), ...settle });
  const markAllRead = useMutation({ mutationFn: () => api.post('/api/v1/notifications/read-all'), ...settle });
  return {
    items: query.data?.items ?? [],
    unread: query.data?.unread ?? 0,
    error: query.error ?? markRead.error ?? markAllRead.error,
    markRead: (id: string) => markRead.mutate(id),
    markAllRead: () => markAllRead.mutate(),
  };
}
