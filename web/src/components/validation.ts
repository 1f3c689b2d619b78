import type { TFunction } from 'i18next';

/** Matches the server's rule for passwords. */
export const MIN_PASSWORD_LENGTH = 10;

export function emailError(t: TFunction, email: string): string | null {
  if (!email.trim()) return t('validation.required');
  return /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? null : t('validation.email');
}

export function requiredError(t: TFunction, value: string): string | null {
  return value.trim() ? null : t('validation.required');
}

export function passwordError(t: TFunction, password: string): string | null {
  return password.length >= MIN_PASSWORD_LENGTH ? null : t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH });
}

export function confirmError(t: TFunction, password: string, confirm: string): string | null {
  return password === confirm ? null : t('validation.passwordMismatch');
}
