import { Checkbox, Modal, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SecretShownOnce } from '../../components/copy-value-button.tsx';
import { useFieldForm } from '../../components/field-form.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { requiredError } from '../../components/validation.ts';
import { type Webhook, WEBHOOK_EVENTS, type WebhookEventType, webhooksApi } from './api.ts';

/** The signing secret of a webhook just made or given a new secret: shown in this dialog once. */
export function WebhookSecretModal({ secret, onClose }: { secret: string | null; onClose(): void }) {
  const { t } = useTranslation('webhooks');
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={t('secretTitle')}
      closeOnClickOutside={false}
      data-testid="webhook-secret-modal"
    >
      {secret ? (
        <SecretShownOnce
          warning={t('secretWarning')}
          value={secret}
          // Wrapped, not scrolled: a scrolling box would need keyboard focus of its own (WCAG).
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
          testId="webhook-secret"
          onDone={onClose}
          doneTestId="webhook-secret-done"
        />
      ) : null}
    </Modal>
  );
}

/** Add a webhook: its URL and the events it receives; the answer's secret goes to `onCreated`. */
export function WebhookFormModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose(): void;
  onCreated(webhook: Webhook, secret: string): void;
}) {
  const { t } = useTranslation('webhooks');
  return (
    <Modal opened={opened} onClose={onClose} title={t('createTitle')} size="lg" data-testid="webhook-form-modal">
      {opened ? <WebhookForm onCancel={onClose} onCreated={onCreated} /> : null}
    </Modal>
  );
}

function WebhookForm({ onCancel, onCreated }: { onCancel(): void; onCreated(webhook: Webhook, secret: string): void }) {
  const { t } = useTranslation('webhooks');
  const { t: common } = useTranslation();
  const { field, submit, submission } = useFieldForm({ url: 'https://', events: [] as WebhookEventType[] }, (v) => ({
    url: requiredError(common, v.url === 'https://' ? '' : v.url),
    events: v.events.length ? null : t('eventsRequired'),
  }));

  const create = () =>
    submit(async ({ url, events }) => {
      const { webhook, secret } = await webhooksApi.create({ url: url.trim(), events });
      onCreated(webhook, secret);
    });

  return (
    <ModalForm submission={submission} onSubmit={create} onCancel={onCancel} creating submitTestId="webhook-create-submit">
      <TextInput
        label={t('url')}
        description={t('urlHint')}
        required
        data-autofocus
        type="url"
        {...field('url')}
        data-testid="webhook-url"
      />
      <Checkbox.Group label={t('events')} required {...field('events')} data-testid="webhook-events">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mt="xs">
          {WEBHOOK_EVENTS.map((type) => (
            <Checkbox key={type} value={type} label={t(`event.${type}`)} data-testid={`webhook-event-${type}`} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </ModalForm>
  );
}
