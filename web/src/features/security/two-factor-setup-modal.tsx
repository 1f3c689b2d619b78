import { Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { CopyableCode, SecretShownOnce } from '../../components/copy-value-button.tsx';
import { ModalForm } from '../../components/modal-form.tsx';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import { securityApi } from './api.ts';
import { QrCode } from './qr-code.tsx';
import { securityErrorText, useSecurityT } from './text.ts';
import { CurrentPasswordInput, isWrongPassword } from './current-password-input.tsx';
import { TotpCodeInput } from './totp-code-input.tsx';
import { useTotpForm } from './use-totp-form.ts';
import type { SecurityUser, TwoFactorSetup } from './types.ts';

interface TwoFactorSetupModalProps {
  /** The key the server just issued; null while closed. */
  setup: TwoFactorSetup | null;
  onClose(): void;
  onEnabled(user: SecurityUser): void;
}

/** Groups a base32 key in fours so it can be typed into an app by hand; apps ignore the spaces. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Scan (or type) the key, then prove it works with one code: only then does the server switch 2FA on. */
export function TwoFactorSetupModal({ setup, onClose, onEnabled }: TwoFactorSetupModalProps) {
  const { t } = useSecurityT();
  // Keeps the key on screen while the dialog fades out.
  const shown = useLastNonNull(setup);
  // Once turned on: the recovery codes, shown this once, until the person says they kept them.
  const [enabled, setEnabled] = useState<{ user: SecurityUser; recoveryCodes: string[] } | null>(null);
  const finish = () => {
    if (enabled) onEnabled(enabled.user);
    else onClose();
  };
  return (
    <Modal
      opened={setup !== null}
      onClose={finish}
      closeOnClickOutside={enabled === null}
      onExitTransitionEnd={() => setEnabled(null)}
      title={enabled ? t('twoFactor.recoveryTitle') : t('twoFactor.setupTitle')}
      data-testid="two-factor-setup-modal"
    >
      {enabled ? (
        <RecoveryCodes codes={enabled.recoveryCodes} onDone={finish} />
      ) : shown ? (
        <SetupForm
          key={shown.secret}
          setup={shown}
          onCancel={onClose}
          onEnabled={(user, recoveryCodes) => setEnabled({ user, recoveryCodes })}
        />
      ) : null}
    </Modal>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useSecurityT();
  return (
    <SecretShownOnce
      warning={t('twoFactor.recoveryBody')}
      value={codes.join('\n')}
      style={{ fontSize: 15, letterSpacing: '0.05em' }}
      testId="two-factor-recovery-codes"
      onDone={onDone}
      doneTestId="two-factor-recovery-done"
    />
  );
}

function SetupForm({
  setup,
  onCancel,
  onEnabled,
}: {
  setup: TwoFactorSetup;
  onCancel(): void;
  onEnabled(user: SecurityUser, recoveryCodes: string[]): void;
}) {
  const { t } = useSecurityT();
  const [password, setPassword] = useState('');
  const { code, setCode, busy, error, codeError, sendCode, touched } = useTotpForm(
    async (totp) => {
      const { user, recoveryCodes } = await securityApi.enableTwoFactor({ code: totp, password });
      onEnabled(user, recoveryCodes);
    },
    { othersValid: password !== '' },
  );
  const wrongPassword = isWrongPassword(error);
  const known = wrongPassword ? null : securityErrorText(t, error);

  return (
    <ModalForm
      submission={{ busy, error }}
      onSubmit={sendCode}
      errorAlert={false}
      onCancel={onCancel}
      submitLabel={t('twoFactor.enable')}
      submitTestId="two-factor-enable"
    >
      {error && !codeError && !wrongPassword ? (
        known ? (
          <Text size="sm" c="red" data-testid="two-factor-setup-error">
            {known}
          </Text>
        ) : (
          <ErrorAlert error={error} testId="two-factor-setup-error" />
        )
      ) : null}
      <Text size="sm">{t('twoFactor.scan')}</Text>
      <Group justify="center">
        <QrCode value={setup.otpauthUrl} alt={t('twoFactor.qrAlt')} testId="two-factor-qr" />
      </Group>
      <Text size="sm" c="dimmed">
        {t('twoFactor.manual')}
      </Text>
      <CopyableCode
        value={setup.secret}
        shown={groupKey(setup.secret)}
        style={{ fontSize: 15, letterSpacing: '0.05em', wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}
        testId="two-factor-secret"
      />
      <Text size="sm" mt="xs">
        {t('twoFactor.enterCode')}
      </Text>
      <TotpCodeInput label={t('twoFactor.code')} value={code} onChange={setCode} error={codeError} testId="two-factor-code" />
      <Text size="sm" mt="xs">
        {t('twoFactor.confirmPassword')}
      </Text>
      <CurrentPasswordInput value={password} onChange={setPassword} requestError={error} touched={touched} testId="two-factor-password" />
    </ModalForm>
  );
}
