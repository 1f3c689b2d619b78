import { TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

export const TOTP_LENGTH = 6;

/** True when the text is a whole authenticator code. */
export function isTotpCode(value: string): boolean {
  return new RegExp(`^\\d{${TOTP_LENGTH}}$`).test(value);
}

interface TotpCodeInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: ReactNode;
  description?: ReactNode;
  autoFocus?: boolean;
  testId: string;
}

/**
 * A one-time-code field: digits only (spaces and dashes pasted from an app are dropped), the numeric
 * keyboard on phones, and `one-time-code` so password managers offer the current code.
 */
export function TotpCodeInput({ label, value, onChange, error, description, autoFocus, testId }: TotpCodeInputProps) {
  return (
    <TextInput
      label={label}
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.replace(/\D/g, '').slice(0, TOTP_LENGTH))}
      error={error}
      inputMode="numeric"
      autoComplete="one-time-code"
      placeholder="123456"
      maxLength={TOTP_LENGTH * 2}
      data-autofocus={autoFocus || undefined}
      autoFocus={autoFocus}
      required
      styles={{ input: { letterSpacing: '0.3em', fontVariantNumeric: 'tabular-nums' } }}
      data-testid={testId}
    />
  );
}
