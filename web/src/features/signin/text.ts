import { useTranslation } from 'react-i18next';

/** The feature's translator: every string of the sign-in screens lives in the `signin` namespace. */
export function useSigninT() {
  return useTranslation('signin');
}
