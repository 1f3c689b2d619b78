import { notifications } from '@mantine/notifications';
import type { User } from '../../api/types.ts';
import { ConfirmItemModal } from '../../components/confirm-modal.tsx';
import type { ItemDialog } from '../../components/use-item-dialog.ts';
import { securityApi } from './api.ts';
import { useSecurityT } from './text.ts';
import type { SecurityUser } from './types.ts';

interface ResetTwoFactorModalProps {
  /** Holds the user whose authenticator key is dropped. */
  dialog: ItemDialog<User>;
  onDone(user: SecurityUser): void;
}

/** For an admin helping someone who lost their phone: removes their key so the password alone signs in. */
export function ResetTwoFactorModal({ dialog, onDone }: ResetTwoFactorModalProps) {
  const { t } = useSecurityT();
  return (
    <ConfirmItemModal
      dialog={dialog}
      title={(shown) => t('resetTwoFactor.title', { name: shown.name })}
      body={t('resetTwoFactor.body')}
      confirmLabel={t('resetTwoFactor.confirm')}
      onConfirm={async (target) => {
        const result = await securityApi.resetTwoFactor(target.id);
        notifications.show({ color: 'teal', message: t('resetTwoFactor.done', { name: target.name }) });
        onDone(result.user);
      }}
      testId="users-reset-two-factor-modal"
    />
  );
}
