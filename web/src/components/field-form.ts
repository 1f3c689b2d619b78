import { type GetInputPropsOptions, useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { fieldErrors } from '../api/problem-text.ts';
import { useFormSubmit } from './modal-form.tsx';

/** By field name; a list's rows may have their own (`email0`, …). */
type FieldErrors = Record<string, string | null | undefined>;

/**
 * A form's values (one `@mantine/form` store instead of a state per field) and its submission. A field's
 * error is its own rule once the user tried to submit, else what the API said about that field.
 * `check` is the form's rules on the current values: a field absent or null there is valid.
 */
export function useFieldForm<V extends Record<string, unknown>>(initialValues: V, check: (values: V) => FieldErrors = () => ({})) {
  const form = useForm<V>({ mode: 'controlled', initialValues });
  const submission = useFormSubmit();
  const values = form.values;
  const errors = check(values);
  const server = fieldErrors(submission.error);

  function errorOf(name: string): ReactNode {
    return (submission.touched && errors[name]) || server[name];
  }

  /** Value, onChange and error of one field, to spread on its input; `type: 'checkbox'` binds `checked`. */
  function field(name: keyof V & string, options?: GetInputPropsOptions) {
    return { ...form.getInputProps(name, { withFocus: false, ...options }), error: errorOf(name) };
  }

  /** Value and onChange (taking the value) of one field, for the app's own inputs (owner, notes, a choice). */
  function bind<K extends keyof V & string>(name: K) {
    return { value: values[name], onChange: (value: V[K]) => form.setFieldValue(name, value as never) };
  }

  /** Marks the form touched and, when every rule passes, runs `action` on the values with busy and error kept. */
  const submit = (action: (values: V) => Promise<void>) =>
    submission.submit(
      Object.values(errors).every((e) => !e),
      () => action(values),
    );

  return { values, setValue: form.setFieldValue, field, bind, errorOf, submit, submission };
}
