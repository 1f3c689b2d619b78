import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import { ChoiceField } from '../../components/choice-control.tsx';
import { CopyValueButton } from '../../components/copy-value-button.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { emailError } from '../../components/validation.ts';
import { signinApi } from './api.ts';
import { RequestErrorAlert } from './signin-error.tsx';
import { useSigninT } from './text.ts';
import { SIGNIN_PROVIDERS, type SigninInvitation, type SigninProvider } from './types.ts';

export interface InviteDefaults {
  ownerUserId?: string | null;
  email?: string;
  provider?: SigninProvider;
}

interface InviteModalProps {
  opened: boolean;
  defaults: InviteDefaults;
  onClose(): void;
}

/** An admin asks a colleague to bind their own mailbox: a link the owner opens, signed in as themselves. */
export function InviteModal({ opened, defaults, onClose }: InviteModalProps) {
  const { t } = useSigninT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('invite.title')} size="lg" data-testid="invite-modal">
      {opened ? <InviteBody defaults={defaults} onClose={onClose} /> : null}
    </Modal>
  );
}

function InviteBody({ defaults, onClose }: { defaults: InviteDefaults; onClose(): void }) {
  const { t, i18n } = useSigninT();
  const { t: tc } = useTranslation();
  const usersQuery = useQuery({ queryKey: ['users'], queryFn: () => usersApi.list() });
  const users = usersQuery.data?.items.filter((u) => u.active) ?? [];
  const { field, bind, submit, submission } = useFieldForm(
    {
      ownerUserId: defaults.ownerUserId ?? null,
      email: defaults.email ?? '',
      provider: defaults.provider ?? ('google' as SigninProvider),
    },
    (v) => ({ ownerUserId: v.ownerUserId === null ? tc('validation.required') : null, email: emailError(tc, v.email) }),
  );
  const [invitation, setInvitation] = useState<SigninInvitation | null>(null);

  if (invitation) {
    const owner = users.find((u) => u.id === invitation.ownerUserId);
    return (
      <Stack gap="sm">
        <Text size="sm">{t('invite.body')}</Text>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            label={t('invite.link')}
            value={invitation.url}
            readOnly
            style={{ flex: 1 }}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="invite-link"
          />
          <CopyValueButton value={invitation.url} testId="invite-link-copy" />
        </Group>
        <Text size="xs" c="dimmed">
          {t('invite.linkHelp', { name: owner?.name ?? owner?.email ?? '', time: formatDateTime(invitation.expiresAt, i18n.language, '') })}
        </Text>
        <Group justify="flex-end">
          <Button onClick={onClose} data-testid="invite-done">
            {tc('common.done')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <ModalForm
      submission={submission}
      onSubmit={() =>
        submit(async ({ ownerUserId, email, provider }) => {
          setInvitation(await signinApi.invite({ ownerUserId: ownerUserId ?? '', email: email.trim(), provider }));
        })
      }
      errorAlert={false}
      onCancel={onClose}
      submitLabel={t('invite.create')}
      submitTestId="invite-submit"
    >
      <RequestErrorAlert error={submission.error} testId="invite-error" />
      <Text size="sm">{t('invite.body')}</Text>
      <Select
        label={t('invite.owner')}
        data={users.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
        {...field('ownerUserId')}
        searchable
        required
        data-testid="invite-owner"
      />
      <TextInput label={t('invite.email')} type="email" {...field('email')} required data-testid="invite-email" />
      <ChoiceField
        label={t('invite.provider')}
        {...bind('provider')}
        options={SIGNIN_PROVIDERS.map((p) => ({ value: p, label: t(`providers.${p}`) }))}
        testId="invite-provider"
      />
    </ModalForm>
  );
}
