import { PasswordInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from './validation.ts';

interface PasswordFieldProps {
  value: string;
  onChange(value: string): void;
  error?: ReactNode;
  testId: string;
  required?: boolean;
  /** Where the cursor starts in a dialog (Mantine's focus trap looks for `data-autofocus`). */
  autoFocus?: boolean;
}

/**
 * A password being chosen, with the server's length rule under it. `new-password` lets a password
 * manager offer one and keeps it from filling in the user's current password.
 */
export function NewPasswordInput({ label, value, onChange, error, testId, required, autoFocus }: PasswordFieldProps & { label?: string }) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      label={label ?? t('fields.password')}
      description={t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH })}
      autoComplete="new-password"
      required={required}
      data-autofocus={autoFocus || undefined}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-testid={testId}
    />
  );
}

/** The chosen password typed again. */
export function ConfirmPasswordInput({ value, onChange, error, testId, required }: Omit<PasswordFieldProps, 'autoFocus'>) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      label={t('fields.confirmPassword')}
      autoComplete="new-password"
      required={required}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-testid={testId}
    />
  );
}
