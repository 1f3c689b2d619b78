import { Alert, Anchor, Button, Checkbox, Group, Loader, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { Editor } from '@tiptap/react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { composeApi } from './api.ts';
import { formatAddress } from './addresses.ts';
import { Attachments } from './attachments.tsx';
import type { ComposeRequest } from './compose-context.tsx';
import { RecipientInput } from './recipient-input.tsx';
import { RichEditor } from './lazy-rich-editor.tsx';
import { SendControls } from './send-controls.tsx';
import { showSendNotice } from './send-notice.tsx';
import { TemplatePicker } from './template-picker.tsx';
import { useComposeT } from './text.ts';
import { useComposeForm, withSignature } from './use-compose-form.ts';

interface ComposeWindowProps {
  request: ComposeRequest;
  onClose(): void;
  onReopen(request: ComposeRequest): void;
}

/** The merge fields a refused send names (problem member `fields`), if it is merge_fields_unresolved. */
function unresolvedFields(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || error.code !== 'merge_fields_unresolved') return null;
  const fields = (error.problem as unknown as { fields?: unknown }).fields;
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * Writing a message: From, To / Cc / Bcc, subject, rich text, attachments, a template; saved as a draft
 * while typed; sent with an undo window or scheduled. Esc or the close button ask before leaving a
 * message that has something in it.
 */
export function ComposeWindow({ request, onClose, onReopen }: ComposeWindowProps) {
  const { t, i18n } = useComposeT();
  const { t: tc } = useTranslation();
  const c = useComposeForm(request);
  const { form, change } = c;
  const [showCc, setShowCc] = useState(form.cc.length > 0 || form.bcc.length > 0);
  const [missing, setMissing] = useState<string[]>([]);
  const [sendError, setSendError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [asking, setAsking] = useState(false);
  const editorRef = useRef<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => {
    editorRef.current = e;
  }, []);

  const kindTitle = request.kind === 'draft' ? t('window.draft') : t(`window.${request.kind}`);
  const title = form.subject.trim() ? t('window.titleWithSubject', { kind: kindTitle, subject: form.subject.trim() }) : kindTitle;
  const sender = c.senders?.find((s) => s.id === form.mailboxId) ?? null;
  const merge = request.kind === 'new' ? (request.merge ?? {}) : form.record ? { [`${form.record.type}Id`]: form.record.id } : {};
  const noRecipients = !form.to.length && !form.cc.length && !form.bcc.length;
  const blocked = !c.ready || !sender?.canSend || c.invalid.length > 0 || noRecipients || c.uploading || c.failedUploads;

  const requestClose = () => {
    if (c.empty && !c.outboxId) return onClose();
    setAsking(true);
  };

  const discard = async () => {
    setAsking(false);
    const id = c.outboxId ?? (c.saveState === 'saving' ? await c.save().catch(() => null) : null);
    if (id) await composeApi.remove(id).catch(() => undefined);
    onClose();
  };

  const keep = async () => {
    setAsking(false);
    if (c.dirty) await c.save().catch(() => undefined);
    onClose();
  };

  const send = async (sendAt: string | null) => {
    setSending(true);
    setSendError(null);
    c.holdAutosave(true);
    try {
      // Saved first (created, or patched with the last keystrokes), after any save in flight: then sent by id.
      const id = await c.save();
      if (!id) return;
      const item = await composeApi.send(id, sendAt ? { sendAt } : {});
      showSendNotice(item, sendAt !== null, { t, tc, language: i18n.language }, onReopen);
      onClose();
    } catch (error) {
      const fields = unresolvedFields(error);
      if (fields?.length) setMissing(fields);
      setSendError(error);
      c.holdAutosave(false);
    } finally {
      setSending(false);
    }
  };

  const changeSender = (mailboxId: string | null) => {
    if (!mailboxId) return;
    const before = withSignature(sender?.signatureHtml);
    const next = c.senders?.find((s) => s.id === mailboxId);
    change({ mailboxId });
    // An untouched body follows the new sender's signature.
    if (form.kind === 'new' && form.html === before) c.loadBody(withSignature(next?.signatureHtml));
  };

  const choices = request.kind === 'new' ? (request.choices ?? []) : [];

  return (
    <Modal
      opened
      onClose={requestClose}
      title={title}
      size="xl"
      closeButtonProps={{ 'aria-label': t('window.close') }}
      data-testid="compose-window"
      data-kind={form.kind}
    >
      {c.loadError ? <ErrorAlert error={c.loadError} testId="compose-load-error" /> : null}
      {!c.ready && !c.loadError ? <Loader size="sm" data-testid="compose-loading" /> : null}
      {c.ready ? (
        <Stack gap="sm" data-testid="compose-form">
          <Select
            label={t('fields.from')}
            data={(c.senders ?? []).map((s) => ({
              value: s.id,
              label: `${formatAddress({ name: s.displayName, address: s.email })}${s.canSend ? '' : ` — ${s.reason ?? t('fields.cannotSend')}`}`,
              disabled: !s.canSend,
            }))}
            value={form.mailboxId}
            onChange={changeSender}
            allowDeselect={false}
            data-testid="compose-from"
          />
          {choices.length ? (
            <Checkbox.Group
              label={t('fields.pickRecipients')}
              value={form.to}
              onChange={(to) => change({ to })}
              data-testid="compose-choices"
            >
              <Group gap="md" mt={4}>
                {choices.map((a) => (
                  <Checkbox key={a.address} value={formatAddress(a)} label={formatAddress(a)} data-testid="compose-choice" />
                ))}
              </Group>
            </Checkbox.Group>
          ) : null}
          <RecipientInput
            label={t('fields.to')}
            value={form.to}
            onChange={(to) => change({ to })}
            testId="compose-to"
            autoFocus={!form.to.length}
          />
          {showCc ? (
            <>
              <RecipientInput label={t('fields.cc')} value={form.cc} onChange={(cc) => change({ cc })} testId="compose-cc" />
              <RecipientInput label={t('fields.bcc')} value={form.bcc} onChange={(bcc) => change({ bcc })} testId="compose-bcc" />
            </>
          ) : (
            <Anchor component="button" type="button" size="xs" ta="left" onClick={() => setShowCc(true)} data-testid="compose-show-cc">
              {t('fields.showCcBcc')}
            </Anchor>
          )}
          <TextInput
            label={t('fields.subject')}
            value={form.subject}
            onChange={(e) => change({ subject: e.currentTarget.value })}
            maxLength={998}
            data-testid="compose-subject"
          />
          <RichEditor
            initialHtml={c.editor.html}
            resetKey={c.editor.key}
            onChange={(html) => change({ html })}
            label={t('fields.body')}
            testId="compose-body"
            onEditor={onEditor}
            focusStart={form.to.length > 0}
          />
          <Attachments value={form.attachments} onChange={c.changeAttachments} />
          {missing.length ? (
            <Alert
              color="yellow"
              variant="light"
              icon={<IconAlertTriangle size={16} />}
              title={t('templates.missingTitle')}
              data-testid="compose-missing"
            >
              {t('templates.missing', { fields: missing.join(', ') })}
            </Alert>
          ) : null}
          {sendError && !unresolvedFields(sendError)?.length ? <ErrorAlert error={sendError} testId="compose-send-error" /> : null}
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <TemplatePicker
                context={merge}
                onInsert={(rendered, templateId) => {
                  const editor = editorRef.current;
                  if (editor) editor.chain().focus().insertContent(rendered.html).run();
                  change((f) => ({ templateId, subject: f.subject.trim() ? f.subject : rendered.subject }));
                  setMissing(rendered.missing);
                }}
              />
              <Text
                size="xs"
                c={c.saveState === 'error' ? 'red' : 'dimmed'}
                aria-live="polite"
                data-testid="compose-save-state"
                data-state={c.saveState}
              >
                {c.saveState === 'saving'
                  ? t('draft.saving')
                  : c.saveState === 'saved'
                    ? t('draft.saved')
                    : c.saveState === 'error'
                      ? t('draft.notSaved')
                      : ''}
              </Text>
            </Group>
            <SendControls disabled={blocked} busy={sending} onSend={(sendAt) => void send(sendAt)} />
          </Group>
        </Stack>
      ) : null}
      <Modal opened={asking} onClose={() => setAsking(false)} title={t('draft.discardTitle')} size="sm" data-testid="compose-discard-modal">
        <Text size="sm" mb="md">
          {t('draft.discardBody')}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setAsking(false)} data-testid="compose-keep-editing">
            {t('draft.keepEditing')}
          </Button>
          <Button variant="light" onClick={() => void keep()} data-testid="compose-keep-draft">
            {t('draft.keepDraft')}
          </Button>
          <Button color="red" onClick={() => void discard()} data-testid="compose-discard">
            {t('draft.discard')}
          </Button>
        </Group>
      </Modal>
    </Modal>
  );
}
