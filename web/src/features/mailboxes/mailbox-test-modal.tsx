import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { failedTestOf, mailboxesApi } from './api.ts';
import { useMailboxesT } from './text.ts';
import type { Mailbox, TestResult } from './types.ts';
import { TestReport } from './test-report.tsx';

interface MailboxTestModalProps {
  mailbox: Mailbox | null;
  onClose(): void;
  /** The mailbox row changed (status, last test, a newly trusted certificate). */
  onChanged(): void;
}

/** "Test now" on a bound mailbox: the same staged report as in the wizard, with certificate trust. */
export function MailboxTestModal({ mailbox, onClose, onChanged }: MailboxTestModalProps) {
  const { t } = useMailboxesT();
  return (
    <Modal opened={mailbox !== null} onClose={onClose} title={mailbox ? t('testModal.title', { email: mailbox.email }) : ''} size="56rem" data-testid="mailbox-test-modal">
      {mailbox ? <TestBody key={mailbox.id} mailbox={mailbox} onClose={onClose} onChanged={onChanged} /> : null}
    </Modal>
  );
}

function TestBody({ mailbox, onClose, onChanged }: { mailbox: Mailbox; onClose(): void; onChanged(): void }) {
  const { t } = useMailboxesT();
  const [testing, setTesting] = useState(true);
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run(call: () => Promise<TestResult>) {
    setTesting(true);
    setError(null);
    try {
      setResult(await call());
    } catch (err) {
      const test = failedTestOf(err);
      if (test) setResult(test);
      else setError(err);
    } finally {
      setTesting(false);
      onChanged();
    }
  }

  useEffect(() => {
    void run(() => mailboxesApi.retest(mailbox.id));
    // Runs once per opening; `run` only sets this component's state.
  }, [mailbox.id]);

  const trust = (protocol: 'imap' | 'smtp', fingerprint: string) =>
    void run(async () => {
      const { test } = await mailboxesApi.update(mailbox.id, { trustedCertificates: { [protocol]: fingerprint } });
      if (!test) throw new Error('no test result');
      return test;
    });

  return (
    <Stack gap="sm">
      <ErrorAlert error={error} testId="mailbox-test-error" />
      {result && !testing ? (
        <Alert color={result.ok ? 'teal' : 'red'} variant="light" icon={result.ok ? <IconCircleCheck size={20} /> : <IconAlertCircle size={20} />} title={result.ok ? t('test.allOk') : t('test.someFailed')} data-testid="test-summary" data-ok={String(result.ok)} />
      ) : null}
      <TestReport result={result} testing={testing} withSmtp={mailbox.smtp !== null} onTrust={trust} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={() => void run(() => mailboxesApi.retest(mailbox.id))} loading={testing}>
          {t('wizard.testAgain')}
        </Button>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </Group>
    </Stack>
  );
}
