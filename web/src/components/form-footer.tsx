import { Button, Group, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface FormFooterProps {
  onCancel(): void;
  /** Without it the button says Save, or Create for a record not made yet (`creating`). */
  submitLabel?: string;
  creating?: boolean;
  busy: boolean;
  submitTestId: string;
  submitColor?: MantineColor;
  cancelLabel?: string;
  /** Without it the submit button submits the surrounding <form>. */
  onSubmit?(): void;
  disabled?: boolean;
}

/** Cancel and the submit button that shows the request in flight: the one footer of every form dialog. */
export function FormFooter({
  onCancel,
  submitLabel,
  creating,
  busy,
  submitTestId,
  submitColor,
  cancelLabel,
  onSubmit,
  disabled,
}: FormFooterProps) {
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
        {submitLabel ?? (creating ? t('common.create') : t('common.save'))}
      </Button>
    </Group>
  );
}
