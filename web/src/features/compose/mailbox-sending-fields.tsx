import { MultiSelect, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { LabelledBlock } from '../../components/labelled-block.tsx';
import { usePeople } from '../crm/use-people.ts';
import { mailboxSendersApi } from './api.ts';
import { RichEditor } from './lazy-rich-editor.tsx';
import { useComposeT } from './text.ts';

export interface SendingChanges {
  /** The new signature, or undefined while unchanged. */
  signatureHtml?: string | null;
  /** The new list of allowed senders, or undefined while unchanged. */
  senderIds?: string[];
}

interface MailboxSendingFieldsProps {
  mailboxId: string;
  ownerId: string;
  signatureHtml: string | null;
  changes: SendingChanges;
  onChange(changes: SendingChanges): void;
}

/** The mailbox settings' sending part: the signature (rich text) and who besides the owner may send from it. */
export function MailboxSendingFields({ mailboxId, ownerId, signatureHtml, changes, onChange }: MailboxSendingFieldsProps) {
  const { t } = useComposeT();
  const { people } = usePeople();
  const senders = useQuery({
    queryKey: ['mailbox-senders', mailboxId],
    queryFn: async () => (await mailboxSendersApi.get(mailboxId)).userIds,
  });
  return (
    <Stack gap="xs" data-testid="mailbox-sending">
      <Title order={3} size="h5">
        {t('mailboxSending.title')}
      </Title>
      <LabelledBlock label={t('mailboxSending.signature')} hint={t('mailboxSending.signatureHint')}>
        <RichEditor
          initialHtml={signatureHtml ?? ''}
          onChange={(html) => onChange({ ...changes, signatureHtml: html || null })}
          label={t('mailboxSending.signature')}
          testId="mailbox-signature"
          minHeight={80}
        />
      </LabelledBlock>
      {senders.data ? (
        <MultiSelect
          label={t('mailboxSending.senders')}
          description={t('mailboxSending.sendersHint')}
          placeholder={t('mailboxSending.sendersPlaceholder')}
          data={people.filter((p) => p.id !== ownerId).map((p) => ({ value: p.id, label: p.name }))}
          value={changes.senderIds ?? senders.data.filter((id) => id !== ownerId)}
          onChange={(senderIds) => onChange({ ...changes, senderIds })}
          searchable
          data-testid="mailbox-senders"
        />
      ) : null}
    </Stack>
  );
}
