import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import { securityApi } from './api.ts';
import { QrCode } from './qr-code.tsx';
import { securityErrorText, useSecurityT } from './text.ts';
import { TotpCodeInput, isTotpCode } from './totp-code-input.tsx';
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
  return (
    <Modal opened={setup !== null} onClose={onClose} title={t('twoFactor.setupTitle')} data-testid="two-factor-setup-modal">
      {shown ? <SetupForm key={shown.secret} setup={shown} onCancel={onClose} onEnabled={onEnabled} /> : null}
    </Modal>
  );
}

function SetupForm({ setup, onCancel, onEnabled }: { setup: TwoFactorSetup; onCancel(): void; onEnabled(user: SecurityUser): void }) {
  const { t } = useSecurityT();
  const { t: tc } = useTranslation();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!isTotpCode(code)) return;
    setBusy(true);
    setError(null);
    try {
      const { user } = await securityApi.enableTwoFactor(code);
      onEnabled(user);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (err instanceof ApiError && err.code === 'totp_invalid') setCode('');
    }
  }

  const known = securityErrorText(t, error);
  const codeError = (error instanceof ApiError && error.code === 'totp_invalid' ? known : null)
    ?? (touched && !isTotpCode(code) ? t('twoFactor.codeFormat') : null);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        {error && !codeError ? (
          known ? (
            <Text size="sm" c="red" data-testid="two-factor-setup-error">{known}</Text>
          ) : (
            <ErrorAlert error={error} testId="two-factor-setup-error" />
          )
        ) : null}
        <Text size="sm">{t('twoFactor.scan')}</Text>
        <Group justify="center">
          <QrCode value={setup.otpauthUrl} alt={t('twoFactor.qrAlt')} testId="two-factor-qr" />
        </Group>
        <Text size="sm" c="dimmed">{t('twoFactor.manual')}</Text>
        <Group gap="xs" wrap="nowrap" align="stretch">
          <Code block style={{ flex: 1, fontSize: 15, letterSpacing: '0.05em', wordBreak: 'break-word', whiteSpace: 'pre-wrap' }} data-testid="two-factor-secret">
            {groupKey(setup.secret)}
          </Code>
          <CopyButton value={setup.secret}>
            {({ copied, copy }) => (
              <Button
                variant={copied ? 'light' : 'default'}
                color={copied ? 'teal' : undefined}
                leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                onClick={copy}
              >
                {copied ? tc('common.copied') : tc('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" mt="xs">{t('twoFactor.enterCode')}</Text>
        <TotpCodeInput label={t('twoFactor.code')} value={code} onChange={setCode} error={codeError} testId="two-factor-code" />
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {tc('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="two-factor-enable">
            {t('twoFactor.enable')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
