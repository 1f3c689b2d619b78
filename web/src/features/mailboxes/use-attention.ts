import { useQuery } from '@tanstack/react-query';
import { mailboxesApi } from './api.ts';

/**
 * The mailboxes the user can see that need attention now (wrong password, revoked sign-in, changed
 * certificate, quota), from the same list Settings › Mailboxes shows; refreshed by mailbox.attention.
 */
export function useMailboxesNeedingAttention(): Array<{ id: string; email: string }> {
  const list = useQuery({ queryKey: ['mailboxes'], queryFn: async () => (await mailboxesApi.list()).items });
  return (list.data ?? []).filter((m) => m.status === 'needs_attention').map((m) => ({ id: m.id, email: m.email }));
}
