import { notifications } from '@mantine/notifications';
import type { User } from '../../api/types.ts';
import { ConfirmItemModal } from '../../components/confirm-modal.tsx';
import { securityApi } from './api.ts';
import { useSecurityT } from './text.ts';
import type { SecurityUser } from './types.ts';

interface ResetTwoFactorModalProps {
  /** The user whose authenticator key is dropped; null while closed. */
  user: User | null;
  onClose(): void;
  onDone(user: SecurityUser): void;
}

/** For an admin helping someone who lost their phone: removes their key so the password alone signs in. */
export function ResetTwoFactorModal({ user, onClose, onDone }: ResetTwoFactorModalProps) {
  const { t } = useSecurityT();
  return (
    <ConfirmItemModal
      item={user}
      title={(shown) => t('resetTwoFactor.title', { name: shown.name })}
      body={t('resetTwoFactor.body')}
      confirmLabel={t('resetTwoFactor.confirm')}
      onConfirm={async (target) => {
        const result = await securityApi.resetTwoFactor(target.id);
        notifications.show({ color: 'teal', message: t('resetTwoFactor.done', { name: target.name }) });
        onDone(result.user);
      }}
      onClose={onClose}
      testId="users-reset-two-factor-modal"
    />
  );
}
