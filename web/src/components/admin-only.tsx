import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { User } from '../api/types.ts';
import { useCurrentUser } from '../session/session-context.tsx';
import { PageHeader } from './page-header.tsx';

interface AdminOnlyProps {
  title: string;
  subtitle: string;
  /** What a member sees instead of the page: why there is nothing here for them. */
  denied: { title: string; body: string; testId: string };
  /** The page as an admin sees it. */
  children(me: User): ReactNode;
}

/**
 * A settings page for admins. A member who opens it (a bookmark, a shared link) sees the page's header
 * and why there is nothing here for them; the server refuses them the data anyway.
 */
export function AdminOnly({ title, subtitle, denied, children }: AdminOnlyProps) {
  const me = useCurrentUser();
  if (me.role === 'admin') return children(me);
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      <Alert variant="light" color="gray" icon={<IconLock size={18} />} title={denied.title} data-testid={denied.testId}>
        {denied.body}
      </Alert>
    </>
  );
}
