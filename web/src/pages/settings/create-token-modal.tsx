import { Alert, Button, Code, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tokensApi } from '../../api/endpoints.ts';
import { fieldErrors } from '../../api/problem-text.ts';
import type { ApiToken } from '../../api/types.ts';
import { CopyValueButton } from '../../components/copy-value-button.tsx';
import { ModalForm, useFormSubmit } from '../../components/modal-form.tsx';
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
  const { touched, busy, error, submit } = useFormSubmit();
  const nameError = requiredError(t, name);

  const create = () =>
    submit(!nameError, async () => {
      const { token, secret } = await tokensApi.create({ name: name.trim() });
      onCreated(token, secret);
    });

  return (
    <ModalForm
      onSubmit={create}
      error={error}
      onCancel={onCancel}
      busy={busy}
      submitLabel={t('common.create')}
      submitTestId="token-create-submit"
    >
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
    </ModalForm>
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
        <CopyValueButton value={secret} testId="token-secret-copy" />
      </Group>
      <Group justify="flex-end" mt="xs">
        <Button onClick={onDone} data-testid="token-secret-done">
          {t('common.done')}
        </Button>
      </Group>
    </Stack>
  );
}
