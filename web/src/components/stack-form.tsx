import { type MantineSpacing, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

interface StackFormProps {
  /** May return the request's promise; Enter in a field calls it too. */
  onSubmit(): unknown;
  testId?: string;
  gap?: MantineSpacing;
  children: ReactNode;
}

/**
 * A form of stacked fields. `noValidate`: the browser's own bubbles would speak another language than
 * the fields' errors, which say what is wrong in the UI's words once the user has tried to submit.
 */
export function StackForm({ onSubmit, testId, gap = 'sm', children }: StackFormProps) {
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
      noValidate
      data-testid={testId}
    >
      <Stack gap={gap}>{children}</Stack>
    </form>
  );
}
