import { Modal, type ModalProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useLastNonNull } from './use-last-non-null.ts';

type RecordModalProps<T> = {
  /** The record the dialog is about; null closes it. */
  record: T | null;
  title(record: T): ReactNode;
  testId: string;
  children(record: T): ReactNode;
} & Omit<ModalProps, 'opened' | 'title' | 'children'>;

/**
 * A dialog opened for one record (a mailbox, a user, a webhook): open while there is one, its title and body
 * drawn from it. The last record stays on screen while the dialog fades out.
 */
export function RecordModal<T>({ record, title, testId, children, ...modal }: RecordModalProps<T>) {
  const shown = useLastNonNull(record);
  return (
    <Modal opened={record !== null} title={shown === null ? '' : title(shown)} data-testid={testId} {...modal}>
      {shown === null ? null : children(shown)}
    </Modal>
  );
}
