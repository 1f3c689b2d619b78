import { type MantineSize, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormFooter } from '../../components/form-footer.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import type { RecordKind } from './record-kinds.ts';
import { CURRENCIES, useCrmT } from './text.ts';

/** The dialog of a CRM form; `children` is the form, which mounts afresh with each opening. */
export function CrmFormModal({
  opened,
  onClose,
  title,
  size,
  testId,
  children,
}: {
  opened: boolean;
  onClose(): void;
  title: string;
  size?: MantineSize;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} data-testid={testId}>
      {children}
    </Modal>
  );
}

/** The create-or-edit dialog of a record: its title says which (`companies.editTitle`, …), its test id is `<one>-form`. */
export function RecordFormModal({
  record: { kind, one },
  editing,
  ...modal
}: {
  record: RecordKind;
  editing: boolean;
  opened: boolean;
  onClose(): void;
  size?: MantineSize;
  children: ReactNode;
}) {
  const { t } = useCrmT();
  return <CrmFormModal {...modal} title={editing ? t(`${kind}.editTitle`) : t(`${kind}.createTitle`)} testId={`${one}-form`} />;
}

/** A CRM form's body: the API's error, the fields, and Cancel and the submit button (`<form>-error`, `<form>-submit`). */
export function CrmFormBody({
  testId,
  submission,
  onCancel,
  onSubmit,
  creating = false,
  disabled,
  children,
}: {
  /** `contact-form`, …: the prefix of the error's and the submit button's test ids. */
  testId: string;
  /** The form's `useFormSubmit()`: the request in flight and the API's error. */
  submission: { busy: boolean; error: unknown };
  onCancel(): void;
  /** Saves; a failure is already kept by `useFormSubmit`. */
  onSubmit(): unknown;
  /** A record not made yet: the button says Create rather than Save. */
  creating?: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  const { t } = useCrmT();
  return (
    <Stack gap="sm">
      <CrmErrorAlert error={submission.error} testId={`${testId}-error`} />
      {children}
      <FormFooter
        onCancel={onCancel}
        cancelLabel={t('actions.cancel')}
        onSubmit={() => void onSubmit()}
        busy={submission.busy}
        disabled={disabled}
        submitLabel={creating ? t('actions.create') : t('actions.save')}
        submitTestId={`${testId}-submit`}
      />
    </Stack>
  );
}

/** The record's name: required, and where the cursor starts. */
export function NameField({
  value,
  onChange,
  error,
  testId,
}: {
  value: string;
  onChange(v: string): void;
  error?: ReactNode;
  testId: string;
}) {
  const { t } = useCrmT();
  return (
    <TextInput
      label={t('fields.name')}
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-testid={testId}
      data-autofocus
    />
  );
}

/** Free text about the record, growing with what is typed. */
export function NotesField({
  value,
  onChange,
  maxRows,
  testId,
}: {
  value: string;
  onChange(v: string): void;
  maxRows?: number;
  testId?: string;
}) {
  const { t } = useCrmT();
  return (
    <Textarea
      label={t('fields.notes')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      autosize
      minRows={2}
      maxRows={maxRows}
      data-testid={testId}
    />
  );
}

/** The currency of an amount; CNY where none is chosen. */
export function CurrencySelect({ value, onChange, testId }: { value: string; onChange(v: string): void; testId?: string }) {
  const { t } = useCrmT();
  return (
    <Select
      label={t('fields.currency')}
      data={CURRENCIES}
      value={value}
      onChange={(v) => onChange(v ?? 'CNY')}
      allowDeselect={false}
      searchable
      data-testid={testId}
    />
  );
}

/** A date (`date`) or a local date and time (`datetime-local`) typed into the browser's own picker. */
export function DateField({
  type = 'date',
  label,
  value,
  onChange,
  required,
  testId,
}: {
  type?: 'date' | 'datetime-local';
  label: string;
  value: string;
  onChange(v: string): void;
  required?: boolean;
  testId: string;
}) {
  return (
    <TextInput
      type={type}
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      required={required}
      data-testid={testId}
    />
  );
}
