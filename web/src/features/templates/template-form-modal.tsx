import { Badge, Checkbox, Group, Modal, Select, TextInput } from '@mantine/core';
import type { Editor } from '@tiptap/react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LabelledBlock } from '../../components/labelled-block.tsx';
import { ModalForm, useFormSubmit } from '../../components/modal-form.tsx';
import { useCurrentUser } from '../../session/session-context.tsx';
import { templatesApi } from '../compose/api.ts';
import { RichEditor } from '../compose/lazy-rich-editor.tsx';
import { useComposeT } from '../compose/text.ts';
import { MERGE_FIELDS, type Template, type TemplateLanguage } from '../compose/types.ts';

interface TemplateFormModalProps {
  /** null: a new template; undefined: closed. */
  template: Template | null | undefined;
  onClose(): void;
  onSaved(template: Template): void;
}

/** Create or edit a template: name, language, subject, the rich text (the compose editor), shared (admins). */
export function TemplateFormModal({ template, onClose, onSaved }: TemplateFormModalProps) {
  const { t } = useComposeT();
  return (
    <Modal
      opened={template !== undefined}
      onClose={onClose}
      title={template ? t('templateSettings.editTitle') : t('templateSettings.createTitle')}
      size="xl"
      data-testid="template-form-modal"
    >
      {template !== undefined ? <TemplateForm key={template?.id ?? 'new'} template={template} onClose={onClose} onSaved={onSaved} /> : null}
    </Modal>
  );
}

function TemplateForm({ template, onClose, onSaved }: { template: Template | null; onClose(): void; onSaved(t: Template): void }) {
  const { t } = useComposeT();
  const { t: tc } = useTranslation();
  const me = useCurrentUser();
  const [name, setName] = useState(template?.name ?? '');
  const [language, setLanguage] = useState<TemplateLanguage>(template?.language ?? (me.locale === 'zh-CN' ? 'zh-CN' : 'en'));
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [html, setHtml] = useState(template?.html ?? '');
  const [shared, setShared] = useState(template?.shared ?? false);
  const editorRef = useRef<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => {
    editorRef.current = e;
  }, []);
  const submission = useFormSubmit();
  const { touched, submit } = submission;
  const nameError = touched && !name.trim() ? tc('validation.required') : null;

  const save = () =>
    submit(name.trim().length > 0, async () => {
      const input = { name: name.trim(), language, subject, html, shared };
      onSaved(template ? await templatesApi.update(template.id, input) : await templatesApi.create(input));
    });

  return (
    <ModalForm submission={submission} onSubmit={save} onCancel={onClose} submitTestId="template-submit">
      <Group grow align="flex-start">
        <TextInput
          label={t('templateSettings.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={nameError}
          required
          maxLength={200}
          data-testid="template-name"
        />
        <Select
          label={t('templateSettings.language')}
          data={[
            { value: 'en', label: tc('language.en') },
            { value: 'zh-CN', label: tc('language.zh-CN') },
          ]}
          value={language}
          onChange={(v) => v && setLanguage(v as TemplateLanguage)}
          allowDeselect={false}
          data-testid="template-language"
        />
      </Group>
      <TextInput
        label={t('templateSettings.subject')}
        value={subject}
        onChange={(e) => setSubject(e.currentTarget.value)}
        maxLength={998}
        data-testid="template-subject"
      />
      <LabelledBlock label={t('templateSettings.fields')} hint={t('templateSettings.fieldsHint')}>
        <Group gap={4}>
          {MERGE_FIELDS.map((field) => (
            <Badge
              key={field}
              component="button"
              type="button"
              variant="light"
              tt="none"
              style={{ cursor: 'pointer' }}
              aria-label={t('templateSettings.insertField', { field })}
              onClick={() => editorRef.current?.chain().focus().insertContent(`{{${field}}}`).run()}
              data-testid="template-field"
              data-field={field}
            >
              {`{{${field}}}`}
            </Badge>
          ))}
        </Group>
      </LabelledBlock>
      <RichEditor
        initialHtml={html}
        onChange={setHtml}
        label={t('templateSettings.body')}
        testId="template-body"
        minHeight={160}
        onEditor={onEditor}
      />
      <Checkbox
        label={t('templateSettings.shared')}
        description={me.role === 'admin' ? undefined : t('templateSettings.sharedHint')}
        checked={shared}
        disabled={me.role !== 'admin'}
        onChange={(e) => setShared(e.currentTarget.checked)}
        data-testid="template-shared"
      />
    </ModalForm>
  );
}
