import { Modal, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tokensApi } from '../../api/endpoints.ts';
import type { ApiToken } from '../../api/types.ts';
import { ChoiceField } from '../../components/choice-control.tsx';
import { SecretShownOnce } from '../../components/copy-value-button.tsx';
import { useFieldForm } from '../../components/field-form.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { CurrentPasswordInput, isWrongPassword } from '../../features/security/current-password-input.tsx';
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

/** Expiry choices, in days from now; 0 is "never". */
const EXPIRY_DAYS = [0, 7, 30, 90, 365] as const;

function TokenForm({ onCancel, onCreated }: { onCancel(): void; onCreated(token: ApiToken, secret: string): void }) {
  const { t } = useTranslation();
  const { values, setValue, field, bind, submit, submission } = useFieldForm(
    { name: '', password: '', scope: 'full' as 'full' | 'read', expiryDays: '0' },
    (v) => ({ name: requiredError(t, v.name), password: requiredError(t, v.password) }),
  );
  const wrongPassword = isWrongPassword(submission.error);

  const create = () =>
    submit(async ({ name, password, scope, expiryDays }) => {
      const days = Number(expiryDays);
      const expiresAt = days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined;
      const { token, secret } = await tokensApi.create({ name: name.trim(), password, scope, ...(expiresAt && { expiresAt }) });
      onCreated(token, secret);
    });

  return (
    <ModalForm
      submission={submission}
      onSubmit={create}
      errorAlert={!wrongPassword}
      onCancel={onCancel}
      creating
      submitTestId="token-create-submit"
    >
      <TextInput
        label={t('tokens.name')}
        placeholder={t('tokens.namePlaceholder')}
        required
        data-autofocus
        {...field('name')}
        data-testid="token-name"
      />
      <ChoiceField
        label={t('tokens.scope')}
        hint={t('tokens.scopeHint')}
        {...bind('scope')}
        options={{ full: t('tokens.scopeFull'), read: t('tokens.scopeRead') }}
        testId="token-scope"
      />
      <Select
        label={t('tokens.expiry')}
        value={values.expiryDays}
        onChange={(value) => setValue('expiryDays', value ?? '0')}
        allowDeselect={false}
        data={EXPIRY_DAYS.map((days) => ({
          value: String(days),
          label: days === 0 ? t('tokens.expiryNever') : days === 365 ? t('tokens.expiryYear') : t('tokens.expiryDays', { count: days }),
        }))}
        data-testid="token-expiry"
      />
      <CurrentPasswordInput
        label={t('tokens.password')}
        description={t('tokens.passwordHint')}
        {...bind('password')}
        requestError={submission.error}
        touched={submission.touched}
        testId="token-password"
      />
    </ModalForm>
  );
}

function TokenSecret({ secret, onDone }: { secret: string; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <SecretShownOnce
      warning={t('tokens.secretWarning')}
      warningTestId="token-secret-warning"
      value={secret}
      style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
      testId="token-secret"
      copyTestId="token-secret-copy"
      onDone={onDone}
      doneTestId="token-secret-done"
    />
  );
}
