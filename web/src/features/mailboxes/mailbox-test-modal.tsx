import { Button, Group, Stack } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { failedTestOf, mailboxesApi } from './api.ts';
import { useMailboxesT } from './text.ts';
import type { Mailbox, TestResult } from './types.ts';
import { TestReport, TestSummary } from './test-report.tsx';
import { useCurrentUser } from '../../session/session-context.tsx';
import { RecordModal } from '../../components/record-modal.tsx';

interface MailboxTestModalProps {
  mailbox: Mailbox | null;
  onClose(): void;
  /** The mailbox row changed (status, last test, a newly trusted certificate). */
  onChanged(): void;
}

interface Run {
  n: number;
  trust?: { protocol: 'imap' | 'smtp'; fingerprint: string };
}

/** Trusts a certificate; the server tests again with it and answers with the report. */
async function trustAndTest(id: string, { protocol, fingerprint }: NonNullable<Run['trust']>): Promise<TestResult> {
  const { test } = await mailboxesApi.update(id, { trustedCertificates: { [protocol]: fingerprint } });
  if (!test) throw new Error('no test result');
  return test;
}

/** "Test now" on a bound mailbox: the same staged report as in the wizard, with certificate trust. */
export function MailboxTestModal({ mailbox, onClose, onChanged }: MailboxTestModalProps) {
  const { t } = useMailboxesT();
  return (
    <RecordModal
      record={mailbox}
      onClose={onClose}
      title={(m) => t('testModal.title', { email: m.email })}
      size="56rem"
      testId="mailbox-test-modal"
    >
      {(m) => <TestBody key={m.id} mailbox={m} onClose={onClose} onChanged={onChanged} />}
    </RecordModal>
  );
}

function TestBody({ mailbox, onClose, onChanged }: { mailbox: Mailbox; onClose(): void; onChanged(): void }) {
  const { t } = useMailboxesT();
  // Each run (the one on opening, "test again", trusting a certificate) is a new request; the last
  // report stays on screen while the next one runs.
  const [run, setRun] = useState<Run>({ n: 0 });
  const query = useQuery({
    queryKey: ['mailbox-test', mailbox.id, run],
    queryFn: async () => {
      try {
        return await (run.trust ? trustAndTest(mailbox.id, run.trust) : mailboxesApi.retest(mailbox.id));
      } catch (err) {
        const test = failedTestOf(err);
        if (test) return test;
        throw err;
      } finally {
        onChanged();
      }
    },
    placeholderData: keepPreviousData,
  });
  const testing = query.isFetching;
  const result = query.data ?? null;
  const error = query.error;
  const retest = () => setRun((r) => ({ n: r.n + 1 }));
  const trust = (protocol: 'imap' | 'smtp', fingerprint: string) => setRun((r) => ({ n: r.n + 1, trust: { protocol, fingerprint } }));
  // Trusting a certificate the system does not is an admin's decision (the server refuses it for members).
  const isAdmin = useCurrentUser().role === 'admin';

  return (
    <Stack gap="sm">
      <ErrorAlert error={error} testId="mailbox-test-error" />
      <TestSummary result={result} testing={testing} />
      <TestReport result={result} testing={testing} withSmtp={mailbox.smtp !== null} onTrust={isAdmin ? trust : undefined} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={retest} loading={testing}>
          {t('wizard.testAgain')}
        </Button>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </Group>
    </Stack>
  );
}
