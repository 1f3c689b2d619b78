import { Modal, Stack, Text } from '@mantine/core';
import { ErrorAlert } from './error-alert.tsx';
import { FormFooter } from './form-footer.tsx';
import type { ItemDialog } from './use-item-dialog.ts';
import { useLastNonNull } from './use-last-non-null.ts';
import { useRequest } from './use-request.ts';

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
  const { busy, error, setError, run } = useRequest();

  function close() {
    setError(null);
    onClose();
  }

  const confirm = () =>
    run(async () => {
      await onConfirm();
      close();
    });

  return (
    <Modal opened={opened} onClose={close} title={title} data-testid={testId}>
      <Stack gap="md">
        <ErrorAlert error={error} />
        <Text size="sm">{body}</Text>
        <FormFooter
          onCancel={close}
          onSubmit={() => void confirm()}
          busy={busy}
          submitColor="red"
          submitLabel={confirmLabel}
          submitTestId={`${testId}-confirm`}
        />
      </Stack>
    </Modal>
  );
}

/**
 * A ConfirmModal about one item (a user, a token): open while the dialog holds one, titled from it, and the
 * title kept while the dialog fades out after it was closed.
 */
export function ConfirmItemModal<T>({
  dialog: { item, close },
  title,
  onConfirm,
  ...rest
}: Omit<ConfirmModalProps, 'opened' | 'title' | 'onConfirm' | 'onClose'> & {
  dialog: ItemDialog<T>;
  title(item: T): string;
  onConfirm(item: T): Promise<void>;
}) {
  const shown = useLastNonNull(item);
  return (
    <ConfirmModal
      {...rest}
      opened={item !== null}
      onClose={close}
      title={shown ? title(shown) : ''}
      onConfirm={async () => {
        if (item) await onConfirm(item);
      }}
    />
  );
}
