import { Alert, Badge, Button, Code, Collapse, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertCircle,
  IconCertificate,
  IconCheck,
  IconChevronDown,
  IconChevronRight,
  IconCircleCheck,
  IconShieldCheck,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { localText, useMailboxesT } from './text.ts';
import type { ProbeCertificate, ProbeReport, TestResult } from './types.ts';

const TRUSTABLE = new Set(['tls_untrusted_certificate', 'tls_hostname_mismatch']);
// Server replies and fingerprints are long unbroken strings; let them wrap inside the card.
const WRAP = { title: { overflowWrap: 'anywhere' }, message: { overflowWrap: 'anywhere' } } as const;

interface TestReportProps {
  result: TestResult | null;
  /** True while the (single) test request runs: each protocol shows a spinner. */
  testing: boolean;
  /** Whether an SMTP server was part of the test. */
  withSmtp: boolean;
  /** Offered on certificate failures; re-tests with that fingerprint trusted. */
  onTrust?(protocol: 'imap' | 'smtp', fingerprint: string): void;
}

/** The test's outcome in one line once it has run (`explain`: a sentence under it on what to do next). */
export function TestSummary({ result, testing, explain }: { result: TestResult | null; testing: boolean; explain?: boolean }) {
  const { t } = useMailboxesT();
  if (!result || testing) return null;
  return (
    <Alert
      color={result.ok ? 'teal' : 'red'}
      variant="light"
      icon={result.ok ? <IconCircleCheck size={20} /> : <IconAlertCircle size={20} />}
      title={result.ok ? t('test.allOk') : t('test.someFailed')}
      data-testid="test-summary"
      data-ok={String(result.ok)}
    >
      {explain ? (result.ok ? t('test.allOkBody') : t('test.someFailedBody')) : null}
    </Alert>
  );
}

/** The staged connection test of IMAP and SMTP side by side: ticks, crosses, timings, the fix. */
export function TestReport({ result, testing, withSmtp, onTrust }: TestReportProps) {
  const protocols: ('imap' | 'smtp')[] = withSmtp ? ['imap', 'smtp'] : ['imap'];
  return (
    <SimpleGrid cols={{ base: 1, md: protocols.length }} spacing="sm" data-testid="test-report">
      {protocols.map((protocol) => {
        const report = testing ? null : protocol === 'imap' ? (result?.imap ?? null) : (result?.smtp ?? null);
        return <ProtocolReport key={protocol} protocol={protocol} report={report} testing={testing} onTrust={onTrust} />;
      })}
    </SimpleGrid>
  );
}

function ProtocolReport({
  protocol,
  report,
  testing,
  onTrust,
}: {
  protocol: 'imap' | 'smtp';
  report: ProbeReport | null;
  testing: boolean;
  onTrust?: TestReportProps['onTrust'];
}) {
  const { t, i18n } = useMailboxesT();
  const [transcriptOpen, setTranscriptOpen] = useState(false);
  // The mail server's slot holds the Graph or EWS report for those mailboxes: its own protocol names it.
  const name = t(`protocols.${report?.protocol ?? protocol}`);
  const state = testing ? 'testing' : report ? (report.ok ? 'ok' : 'failed') : 'idle';

  return (
    <Paper withBorder p="sm" miw={0} data-testid={`report-${protocol}`} data-state={state} data-protocol={report?.protocol ?? protocol}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Stack gap={0}>
          <Text fw={600}>{name}</Text>
          {report ? (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid={`report-${protocol}-target`}>
              {report.url ?? `${report.host}:${report.port}`} · {t(`server.security.${report.security}`)}
            </Text>
          ) : null}
        </Stack>
        {testing ? (
          <Group gap={6} data-testid={`report-${protocol}-testing`}>
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              {t('test.testing')}
            </Text>
          </Group>
        ) : report ? (
          <Badge color={report.ok ? 'teal' : 'red'} variant="light" data-testid={`report-${protocol}-result`}>
            {report.ok ? t('test.ok') : t('test.failed')} · {t('test.ms', { ms: report.totalMs })}
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            {t('test.notRun')}
          </Text>
        )}
      </Group>

      {report ? (
        <Stack gap="xs">
          <Stack gap={2}>
            {report.stages.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a stage may repeat (a retry); the report's order is fixed
              <Group key={`${s.stage}-${i}`} gap={8} wrap="nowrap" data-testid={`stage-${protocol}-${s.stage}`} data-ok={String(s.ok)}>
                <ThemeIcon size={18} radius="xl" color={s.ok ? 'teal' : 'red'} variant="light">
                  {s.ok ? <IconCheck size={12} /> : <IconX size={12} />}
                </ThemeIcon>
                <Text size="sm" style={{ flex: 1 }}>
                  {t(`stages.${s.stage}`, { defaultValue: s.stage })}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('test.ms', { ms: s.ms })}
                </Text>
              </Group>
            ))}
          </Stack>

          {report.failure ? (
            <Alert
              color="red"
              variant="light"
              title={localText(report.failure.message, i18n.language)}
              styles={WRAP}
              data-testid={`failure-${protocol}`}
              data-code={report.failure.code}
            >
              <Text size="sm" fw={600}>
                {t('test.howToFix')}
              </Text>
              <Text size="sm" data-testid={`fix-${protocol}`}>
                {localText(report.failure.fix, i18n.language)}
              </Text>
            </Alert>
          ) : null}

          {report.failure?.certificate && TRUSTABLE.has(report.failure.code) ? (
            <CertificateCard protocol={protocol} certificate={report.failure.certificate} onTrust={onTrust} />
          ) : null}

          {report.transcript.length > 0 ? (
            <div>
              <Button
                variant="subtle"
                size="compact-xs"
                color="gray"
                leftSection={transcriptOpen ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                onClick={() => setTranscriptOpen((o) => !o)}
                data-testid={`transcript-toggle-${protocol}`}
              >
                {t('test.transcript')}
              </Button>
              <Collapse expanded={transcriptOpen}>
                <Code
                  block
                  mt={4}
                  fz="xs"
                  mah={220}
                  style={{ overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
                  data-testid={`transcript-${protocol}`}
                >
                  {report.transcript.join('\n')}
                </Code>
              </Collapse>
            </div>
          ) : null}
        </Stack>
      ) : null}
    </Paper>
  );
}

function CertificateCard({
  protocol,
  certificate,
  onTrust,
}: {
  protocol: 'imap' | 'smtp';
  certificate: ProbeCertificate;
  onTrust?: TestReportProps['onTrust'];
}) {
  const { t, i18n } = useMailboxesT();
  const validTo = new Date(certificate.validTo);
  const expiry = Number.isNaN(validTo.getTime())
    ? certificate.validTo
    : new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(validTo);
  const rows: [string, string, string][] = [
    [t('certificate.subject'), certificate.subject, 'subject'],
    [t('certificate.issuer'), certificate.issuer, 'issuer'],
    [t('certificate.validTo'), expiry, 'valid-to'],
    [t('certificate.fingerprint'), certificate.fingerprint256, 'fingerprint'],
  ];
  return (
    <Paper withBorder p="xs" bg="yellow.0" data-testid={`certificate-${protocol}`}>
      <Group gap={6} mb={4}>
        <IconCertificate size={16} />
        <Text size="sm" fw={600}>
          {t('certificate.title')}
        </Text>
      </Group>
      <Table fz="xs" withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {rows.map(([label, value, id]) => (
            <Table.Tr key={id}>
              <Table.Td c="dimmed" w={90} style={{ verticalAlign: 'top' }}>
                {label}
              </Table.Td>
              <Table.Td
                style={{ wordBreak: 'break-all', fontFamily: id === 'fingerprint' ? 'monospace' : undefined }}
                data-testid={`certificate-${protocol}-${id}`}
              >
                {value}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        {t('certificate.explain')}
      </Text>
      {onTrust ? (
        <Button
          mt="xs"
          size="xs"
          variant="light"
          leftSection={<IconShieldCheck size={14} />}
          onClick={() => onTrust(protocol, certificate.fingerprint256)}
          data-testid={`trust-${protocol}`}
        >
          {t('certificate.trust')}
        </Button>
      ) : null}
    </Paper>
  );
}
