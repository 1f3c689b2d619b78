import { useTranslation } from 'react-i18next';

/** The feature's translator: every string of compose, the outbox and templates lives in the `compose` namespace. */
export function useComposeT() {
  return useTranslation('compose');
}
