import { Alert, Button, Code, CopyButton, Group, Stack } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

/** "Copy" beside a secret shown once (an API token, a 2FA key); it says "Copied" for a moment after. */
export function CopyValueButton({ value, testId }: { value: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          variant={copied ? 'light' : 'default'}
          color={copied ? 'teal' : undefined}
          leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          onClick={copy}
          data-testid={testId}
        >
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
      )}
    </CopyButton>
  );
}

/** A value in a code block with "Copy" beside it; `shown` is how it is displayed when that differs (grouped). */
export function CopyableCode({
  value,
  shown = value,
  style,
  testId,
  copyTestId,
}: {
  value: string;
  shown?: string;
  style?: CSSProperties;
  testId: string;
  copyTestId?: string;
}) {
  return (
    <Group gap="xs" wrap="nowrap" align="stretch">
      <Code block style={{ flex: 1, ...style }} data-testid={testId}>
        {shown}
      </Code>
      <CopyValueButton value={value} testId={copyTestId} />
    </Group>
  );
}

/** A secret the server shows this once (an API token, recovery codes): the warning, the value to copy, and "Done". */
export function SecretShownOnce({
  warning,
  warningTestId,
  onDone,
  doneTestId,
  ...code
}: {
  warning: string;
  warningTestId?: string;
  onDone(): void;
  doneTestId: string;
} & Parameters<typeof CopyableCode>[0]) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid={warningTestId}>
        {warning}
      </Alert>
      <CopyableCode {...code} />
      <Group justify="flex-end" mt="xs">
        <Button onClick={onDone} data-testid={doneTestId}>
          {t('common.done')}
        </Button>
      </Group>
    </Stack>
  );
}
