import { Table, UnstyledButton, Group } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** A column header that sorts the server-side list: click once ascending, again descending. */
export function SortHeader({
  field,
  sort,
  onSort,
  children,
}: {
  field: string;
  sort: string;
  onSort(sort: string): void;
  children: ReactNode;
}) {
  const active = sort === field || sort === `-${field}`;
  const desc = sort === `-${field}`;
  const Icon = !active ? IconSelector : desc ? IconChevronDown : IconChevronUp;
  return (
    <Table.Th aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(active && !desc ? `-${field}` : field)} data-testid={`sort-${field}`} fz="sm" fw={600}>
        <Group gap={4} wrap="nowrap">
          {children}
          <Icon size={14} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
