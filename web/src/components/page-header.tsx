import { Button, Group } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { TitleBlock } from './section-title.tsx';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
      {/* The page's one h1, drawn at h3 size: the dense look, with a heading outline that starts at the top. */}
      <TitleBlock order={1} size="h3" title={title} subtitle={subtitle} testId="page-title" />
      {actions ? <Group gap="xs">{actions}</Group> : null}
    </Group>
  );
}

/** A page's main action: a new one of what the page lists (a deal, a user, a token). */
export function CreateButton({ label, onClick, testId }: { label: string; onClick(): void; testId: string }) {
  return (
    <Button leftSection={<IconPlus size={16} />} onClick={onClick} data-testid={testId}>
      {label}
    </Button>
  );
}
