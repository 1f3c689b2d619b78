import { EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageHeader } from './page-header.tsx';

interface EmptyPageProps {
  title: string;
  subtitle?: string;
  emptyTitle: string;
  emptyBody: string;
  icon: ReactNode;
  action?: ReactNode;
  testId: string;
}

/** A page whose feature has no data yet: says plainly why and what makes data appear. */
export function EmptyPage({ title, subtitle, emptyTitle, emptyBody, icon, action, testId }: EmptyPageProps) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      <Paper withBorder p="xl" data-testid={testId}>
        <EmptyState icon={icon} variant="light" title={emptyTitle} description={emptyBody} size="sm" py="xl">
          {action ? <EmptyState.Actions>{action}</EmptyState.Actions> : null}
        </EmptyState>
      </Paper>
    </>
  );
}
