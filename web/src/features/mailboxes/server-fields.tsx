import { Alert, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ChoiceField } from '../../components/choice-control.tsx';
import type { Security } from './types.ts';
import { useMailboxesT } from './text.ts';
import { defaultPort, type ServerForm } from './wizard-state.ts';

interface ServerFieldsProps {
  protocol: 'imap' | 'smtp';
  value: ServerForm;
  onChange(next: ServerForm): void;
  /** Only admins may choose plaintext (and see the option at all). */
  isAdmin: boolean;
}

/** Host, port and encryption of one server (服务器 / 端口 / 加密方式). */
export function ServerFields({ protocol, value, onChange, isAdmin }: ServerFieldsProps) {
  const { t } = useMailboxesT();
  const options: { value: Security; label: string }[] = [
    { value: 'tls', label: t('server.security.tls') },
    { value: 'starttls', label: t('server.security.starttls') },
  ];
  if (isAdmin || value.security === 'plain') options.push({ value: 'plain', label: t('server.security.plain') });

  function setSecurity(security: Security) {
    // Move the port along only while it is still the usual one for the old choice.
    const port = value.port === defaultPort(protocol, value.security) ? defaultPort(protocol, security) : value.port;
    onChange({ ...value, security, port });
  }

  return (
    <Stack gap={6}>
      <Group gap="sm" align="flex-end" wrap="nowrap">
        <TextInput
          label={t(`server.${protocol}Host`)}
          placeholder={protocol === 'imap' ? 'imap.example.com' : 'smtp.example.com'}
          value={value.host}
          onChange={(e) => onChange({ ...value, host: e.currentTarget.value })}
          style={{ flex: 1 }}
          required
          data-testid={`${protocol}-host`}
        />
        <NumberInput
          label={t('server.port')}
          value={value.port}
          onChange={(v) => onChange({ ...value, port: typeof v === 'number' ? v : v === '' ? '' : Number(v) || '' })}
          min={1}
          max={65535}
          hideControls
          w={90}
          required
          data-testid={`${protocol}-port`}
        />
      </Group>
      <ChoiceField
        label={t('server.securityLabel')}
        size="xs"
        options={options}
        value={value.security}
        onChange={setSecurity}
        color={value.security === 'plain' ? 'red' : undefined}
        testId={`${protocol}-security`}
      />
      {value.security === 'plain' ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} p="xs" data-testid={`${protocol}-insecure-warning`}>
          <Text size="xs">{t('server.plainWarning')}</Text>
        </Alert>
      ) : null}
    </Stack>
  );
}
