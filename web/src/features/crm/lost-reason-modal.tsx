import { Modal, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ModalForm, useFormSubmit } from '../../components/modal-form.tsx';
import { useCrmT } from './text.ts';

interface LostReasonProps {
  onCancel(): void;
  /** Moves the deal; a failure is the caller's to show (the board says which move failed). */
  onConfirm(reason: string): Promise<void>;
}

/** Moving a deal to a lost stage asks why: the reason is what a team learns from. */
export function LostReasonModal({ opened, onCancel, onConfirm }: LostReasonProps & { opened: boolean }) {
  const { t } = useCrmT();
  return (
    <Modal opened={opened} onClose={onCancel} title={t('deals.lostTitle')} data-testid="lost-reason">
      {/* The form mounts with each opening, so the reason starts empty. */}
      <LostReasonForm onCancel={onCancel} onConfirm={onConfirm} />
    </Modal>
  );
}

function LostReasonForm({ onCancel, onConfirm }: LostReasonProps) {
  const { t } = useCrmT();
  const [reason, setReason] = useState('');
  const submission = useFormSubmit();
  const { submit } = submission;
  return (
    <ModalForm
      submission={submission}
      onSubmit={() => submit(reason.trim() !== '', () => onConfirm(reason.trim()))}
      errorAlert={false}
      onCancel={onCancel}
      cancelLabel={t('actions.cancel')}
      disabled={!reason.trim()}
      submitColor="red"
      submitLabel={t('deals.markLost')}
      submitTestId="lost-reason-submit"
    >
      <Textarea
        label={t('fields.lostReason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        autosize
        minRows={2}
        required
        data-autofocus
        data-testid="lost-reason-input"
      />
    </ModalForm>
  );
}
