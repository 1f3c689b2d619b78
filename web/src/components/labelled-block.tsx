import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A form part that is not one input (an editor, a row of buttons): its label and hint above it, as an input shows its own. */
export function LabelledBlock({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
      {children}
    </Stack>
  );
}
