import { PasswordInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { requiredError } from '../../components/validation.ts';
import { securityErrorText, useSecurityT } from './text.ts';

/** Whether the request failed on the password the person typed to confirm it is them. */
export function isWrongPassword(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'wrong_password';
}

/**
 * The "confirm with your password" field of a security change (2FA on or off, a new API token): it shows the server's
 * wrong_password under itself, and "required" once the person tried to submit without one.
 */
export function CurrentPasswordInput({
  label,
  description,
  value,
  onChange,
  requestError,
  touched,
  autoFocus = false,
  testId,
}: {
  /** "Password" unless the form says why it asks (an API token acts as the person). */
  label?: string;
  description?: string;
  value: string;
  onChange(value: string): void;
  requestError: unknown;
  touched: boolean;
  autoFocus?: boolean;
  testId: string;
}) {
  const { t } = useSecurityT();
  const { t: tc } = useTranslation();
  const error = (isWrongPassword(requestError) ? securityErrorText(t, requestError) : null) ?? (touched ? requiredError(tc, value) : null);
  return (
    <PasswordInput
      label={label ?? tc('fields.password')}
      description={description}
      autoComplete="current-password"
      required
      data-autofocus={autoFocus || undefined}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-testid={testId}
    />
  );
}
