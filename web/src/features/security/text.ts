import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import type { User } from '../../api/types.ts';
import en from '../../i18n/security.en.json' with { type: 'json' };

/** The feature's translator: every string of the security pages lives in the `security` namespace. */
export function useSecurityT() {
  return useTranslation('security');
}

export type SecurityT = TFunction<'security'>;

type CodeKey = keyof typeof en.errors;

/**
 * The feature's own sentence for an error code it knows (a wrong authenticator code, an expired setup), or
 * null so the caller shows the shared error alert instead.
 */
export function securityErrorText(t: SecurityT, error: unknown): string | null {
  if (!(error instanceof ApiError) || !Object.hasOwn(en.errors, error.code)) return null;
  return t(`errors.${error.code as CodeKey}`);
}

/** Whether two-factor sign-in is on; the API sends `twoFactorEnabled` with every user. */
export function twoFactorOn(user: User): boolean {
  return user.twoFactorEnabled === true;
}
