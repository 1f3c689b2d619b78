import { useTranslation } from 'react-i18next';

/** The feature's translator: the bell's strings live in the `notifications` namespace. */
export function useNotificationsT() {
  return useTranslation('notifications');
}
