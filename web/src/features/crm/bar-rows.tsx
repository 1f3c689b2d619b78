import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';

export interface BarRow {
  key: string;
  label: ReactNode;
  /** Segments drawn end to end (e.g. sent, received); their sum is the row's length. */
  parts: Array<{ value: number; color: string; label: string }>;
  note?: ReactNode;
}

/**
 * Horizontal bars, drawn with plain boxes: the dashboard needs two small charts, not a chart library
 * (and @mantine/charts trails @mantine/core's version here). Each bar has its figures beside it in text.
 */
export function BarRows({ rows, testId }: { rows: BarRow[]; testId: string }) {
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((s, p) => s + p.value, 0)));
  return (
    <Stack gap={8} data-testid={testId} role="list">
      {rows.map((r) => {
        const total = r.parts.reduce((s, p) => s + p.value, 0);
        return (
          <Group key={r.key} gap="sm" wrap="nowrap" role="listitem" data-testid={`${testId}-row`}>
            <Text size="sm" w={140} truncate="end" component="div">
              {r.label}
            </Text>
            <Group gap={0} flex={1} wrap="nowrap" h={16} bg="gray.1" style={{ borderRadius: 4, overflow: 'hidden' }}>
              {r.parts.map((p) => (
                <Tooltip key={p.label} label={`${p.label}: ${p.value}`}>
                  <Box h="100%" bg={p.color} w={`${(p.value / max) * 100}%`} role="img" aria-label={`${p.label}: ${p.value}`} />
                </Tooltip>
              ))}
            </Group>
            <Text size="xs" w={120} ta="right" c="dimmed" data-testid={`${testId}-value`}>
              {r.note ?? total}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
