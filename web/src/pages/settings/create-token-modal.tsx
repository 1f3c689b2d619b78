import { Alert, Button, Code, CopyButton, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { tokensApi } from '../../api/endpoints.ts';
import { fieldErrors } from '../../api/problem-text.ts';
import type { ApiToken } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { requiredError } from '../../components/validation.ts';

interface CreateTokenModalProps {
  opened: boolean;
  onClose(): void;
  onCreated(token: ApiToken): void;
}

export function CreateTokenModal({ opened, onClose, onCreated }: CreateTokenModalProps) {
  const { t } = useTranslation();
  // The secret lives only in this component's state and is dropped once the dialog has closed.
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={secret ? t('tokens.secretTitle') : t('tokens.createTitle')}
      closeOnClickOutside={secret === null}
      onExitTransitionEnd={() => setSecret(null)}
      data-testid="token-create-modal"
    >
      {secret ? (
        <TokenSecret secret={secret} onDone={onClose} />
      ) : (
        <TokenForm
          onCancel={onClose}
          onCreated={(token, value) => {
            setSecret(value);
            onCreated(token);
          }}
        />
      )}
    </Modal>
  );
}

function TokenForm({ onCancel, onCreated }: { onCancel(): void; onCreated(token: ApiToken, secret: string): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameError = requiredError(t, name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (nameError) return;
    setBusy(true);
    setError(null);
    try {
      const { token, secret } = await tokensApi.create({ name: name.trim() });
      onCreated(token, secret);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <TextInput
          label={t('tokens.name')}
          placeholder={t('tokens.namePlaceholder')}
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={(touched && nameError) || fieldErrors(error).name}
          data-testid="token-name"
        />
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="token-create-submit">
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TokenSecret({ secret, onDone }: { secret: string; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="token-secret-warning">
        {t('tokens.secretWarning')}
      </Alert>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="token-secret">
          {secret}
        </Code>
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              data-testid="token-secret-copy"
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Group justify="flex-end" mt="xs">
        <Button onClick={onDone} data-testid="token-secret-done">
          {t('common.done')}
        </Button>
      </Group>
    </Stack>
  );
}
