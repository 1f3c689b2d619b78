import { type ReactNode, useState } from 'react';
import { ErrorAlert } from './error-alert.tsx';
import { FormFooter, type FormFooterProps } from './form-footer.tsx';
import { StackForm } from './stack-form.tsx';
import { useRequest } from './use-request.ts';

interface ModalFormProps extends Omit<FormFooterProps, 'onSubmit' | 'busy'> {
  /** May return the request's promise; its failure is already kept by `useFormSubmit`. */
  onSubmit(): unknown;
  /** The form's `useFormSubmit()`: the request in flight and the API's error. */
  submission: { busy: boolean; error: unknown };
  /** Where an error is shown next to its field instead, pass `false` to leave the alert out. */
  errorAlert?: boolean;
  errorTestId?: string;
  children: ReactNode;
}

/** The body of a form dialog: the error alert, the fields, and the footer; Enter submits. */
export function ModalForm({ onSubmit, submission, errorAlert = true, errorTestId, children, ...footer }: ModalFormProps) {
  return (
    <StackForm onSubmit={onSubmit}>
      {errorAlert ? <ErrorAlert error={submission.error} testId={errorTestId} /> : null}
      {children}
      <FormFooter {...footer} busy={submission.busy} />
    </StackForm>
  );
}

/**
 * What a form dialog tracks around its request: whether the user tried to submit (fields show their errors
 * from then on), the request in flight, and the API's error.
 */
export function useFormSubmit() {
  const [touched, setTouched] = useState(false);
  const { busy, error, setError, run } = useRequest();

  /** Marks the form touched and, when `valid`, runs `action` with busy and error kept. */
  async function submit(valid: boolean, action: () => Promise<void>): Promise<void> {
    setTouched(true);
    if (valid) await run(action);
  }

  return { touched, busy, error, submit, setError, setTouched };
}
