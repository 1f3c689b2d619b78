import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';
import { useLastNonNull } from './use-last-non-null.ts';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): Promise<void>;
  onClose(): void;
  testId: string;
}

/** Asks before a destructive action; keeps the dialog open and shows the error if the action fails. */
export function ConfirmModal({ opened, title, body, confirmLabel, onConfirm, onClose, testId }: ConfirmModalProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function close() {
    setError(null);
    onClose();
  }

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={title} data-testid={testId}>
      <Stack gap="md">
        <ErrorAlert error={error} />
        <Text size="sm">{body}</Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * A ConfirmModal about one item (a user, a token): open while `item` is set, titled from it, and the
 * title kept while the dialog fades out after `item` went back to null.
 */
export function ConfirmItemModal<T>({
  item,
  title,
  onConfirm,
  ...rest
}: Omit<ConfirmModalProps, 'opened' | 'title' | 'onConfirm'> & {
  item: T | null;
  title(item: T): string;
  onConfirm(item: T): Promise<void>;
}) {
  const shown = useLastNonNull(item);
  return (
    <ConfirmModal
      {...rest}
      opened={item !== null}
      title={shown ? title(shown) : ''}
      onConfirm={async () => {
        if (item) await onConfirm(item);
      }}
    />
  );
}
