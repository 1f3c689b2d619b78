import { Button, Group, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface FormFooterProps {
  onCancel(): void;
  submitLabel: string;
  busy: boolean;
  submitTestId: string;
  submitColor?: MantineColor;
  cancelLabel?: string;
  /** Without it the submit button submits the surrounding <form>. */
  onSubmit?(): void;
  disabled?: boolean;
}

/** Cancel and the submit button that shows the request in flight: the one footer of every form dialog. */
export function FormFooter({ onCancel, submitLabel, busy, submitTestId, submitColor, cancelLabel, onSubmit, disabled }: FormFooterProps) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="xs" mt="xs">
      <Button variant="default" onClick={onCancel}>
        {cancelLabel ?? t('common.cancel')}
      </Button>
      <Button
        type={onSubmit ? 'button' : 'submit'}
        onClick={onSubmit}
        color={submitColor}
        loading={busy}
        disabled={disabled}
        data-testid={submitTestId}
      >
        {submitLabel}
      </Button>
    </Group>
  );
}
