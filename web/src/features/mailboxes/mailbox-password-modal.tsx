import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { failedTestOf, mailboxesApi } from './api.ts';
import { localText, useMailboxesT } from './text.ts';
import { TestReport } from './test-report.tsx';
import type { Mailbox, Provider, TestResult } from './types.ts';
import { RecordModal } from '../../components/record-modal.tsx';

interface MailboxPasswordModalProps {
  mailbox: Mailbox | null;
  providers: Provider[];
  isAdmin: boolean;
  onClose(): void;
  onSaved(mailbox: Mailbox): void;
}

/** Change the password or authorization code; the server tests it before keeping it. */
export function MailboxPasswordModal({ mailbox, onClose, ...rest }: MailboxPasswordModalProps) {
  const { t } = useMailboxesT();
  return (
    <RecordModal
      record={mailbox}
      onClose={onClose}
      title={(m) => t(`actions.changeCredential.${m.authKind}`)}
      size="lg"
      testId="mailbox-password-modal"
    >
      {(m) => <PasswordBody key={m.id} mailbox={m} onClose={onClose} {...rest} />}
    </RecordModal>
  );
}

function PasswordBody({
  mailbox,
  providers,
  isAdmin,
  onClose,
  onSaved,
}: Omit<MailboxPasswordModalProps, 'mailbox'> & { mailbox: Mailbox }) {
  const { t, i18n } = useMailboxesT();
  const { t: tc } = useTranslation();
  const provider = providers.find((p) => p.id === mailbox.providerId) ?? null;
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [failed, setFailed] = useState<TestResult | null>(null);

  async function save(force: boolean) {
    setBusy(true);
    setError(null);
    try {
      const { mailbox: updated } = await mailboxesApi.update(mailbox.id, { password, ...(force && { force: true }) });
      onSaved(updated);
    } catch (err) {
      const test = failedTestOf(err);
      setFailed(test);
      if (!test) setError(err);
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (password) void save(false);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <PasswordInput
          label={t(`authKinds.${mailbox.authKind}`)}
          description={localText(provider?.authHelp, i18n.language) || t(`authKindHelp.${mailbox.authKind}`)}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          required
          data-autofocus
          data-testid="mailbox-new-password"
        />
        {failed ? <TestReport result={failed} testing={busy} withSmtp={failed.smtp !== null} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {tc('common.cancel')}
          </Button>
          {failed && isAdmin ? (
            <Button color="orange" variant="light" onClick={() => void save(true)} loading={busy} data-testid="mailbox-password-force">
              {t('wizard.saveAnyway')}
            </Button>
          ) : null}
          <Button type="submit" loading={busy} disabled={!password} data-testid="mailbox-password-submit">
            {t('passwordModal.testAndSave')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
