import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from './validation.ts';

/** The input's own props (a form field's value, onChange and error spread in) and its test id. */
type PasswordFieldProps = Omit<PasswordInputProps, 'label' | 'description' | 'autoComplete' | 'autoFocus'> & {
  'data-testid': string;
};

/**
 * A password being chosen, with the server's length rule under it. `new-password` lets a password
 * manager offer one and keeps it from filling in the user's current password.
 */
export function NewPasswordInput({
  label,
  autoFocus,
  ...input
}: PasswordFieldProps & {
  label?: string;
  /** Where the cursor starts in a dialog (Mantine's focus trap looks for `data-autofocus`). */
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      label={label ?? t('fields.password')}
      description={t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH })}
      autoComplete="new-password"
      data-autofocus={autoFocus || undefined}
      {...input}
    />
  );
}

/** The chosen password typed again. */
export function ConfirmPasswordInput(input: PasswordFieldProps) {
  const { t } = useTranslation();
  return <PasswordInput label={t('fields.confirmPassword')} autoComplete="new-password" {...input} />;
}
