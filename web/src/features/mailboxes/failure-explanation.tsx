import { Stack, Text } from '@mantine/core';
import { localText, useMailboxesT } from './text.ts';
import type { LocalText } from './types.ts';

/** A failure of the one catalogue (connection test and sync) in the reader's language: what happened, then how to fix it. */
export function FailureExplanation({ failure, testId }: { failure: { code: string; message: LocalText; fix: LocalText }; testId: string }) {
  const { t, i18n } = useMailboxesT();
  return (
    <Stack gap={2} data-testid={testId} data-code={failure.code}>
      <Text size="xs" data-testid={`${testId}-message`}>
        {localText(failure.message, i18n.language)}
      </Text>
      <Text size="xs" data-testid={`${testId}-fix`}>
        <Text span size="xs" fw={600}>
          {t('syncView.fix')}:{' '}
        </Text>
        {localText(failure.fix, i18n.language)}
      </Text>
    </Stack>
  );
}
