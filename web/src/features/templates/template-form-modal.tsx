import { Badge, Checkbox, Group, Modal, Select, TextInput } from '@mantine/core';
import type { Editor } from '@tiptap/react';
import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LabelledBlock } from '../../components/labelled-block.tsx';
import { useFieldForm } from '../../components/field-form.ts';
import { ModalForm } from '../../components/modal-form.tsx';
import { requiredError } from '../../components/validation.ts';
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
  const { values, setValue, field, submit, submission } = useFieldForm(
    {
      name: template?.name ?? '',
      language: template?.language ?? ((me.locale === 'zh-CN' ? 'zh-CN' : 'en') as TemplateLanguage),
      subject: template?.subject ?? '',
      html: template?.html ?? '',
      shared: template?.shared ?? false,
    },
    (v) => ({ name: requiredError(tc, v.name) }),
  );
  const editorRef = useRef<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => {
    editorRef.current = e;
  }, []);

  const save = () =>
    submit(async ({ name, language, subject, html, shared }) => {
      const input = { name: name.trim(), language, subject, html, shared };
      onSaved(template ? await templatesApi.update(template.id, input) : await templatesApi.create(input));
    });

  return (
    <ModalForm submission={submission} onSubmit={save} onCancel={onClose} submitTestId="template-submit">
      <Group grow align="flex-start">
        <TextInput label={t('templateSettings.name')} {...field('name')} required maxLength={200} data-testid="template-name" />
        <Select
          label={t('templateSettings.language')}
          data={[
            { value: 'en', label: tc('language.en') },
            { value: 'zh-CN', label: tc('language.zh-CN') },
          ]}
          value={values.language}
          onChange={(v) => v && setValue('language', v as TemplateLanguage)}
          allowDeselect={false}
          data-testid="template-language"
        />
      </Group>
      <TextInput label={t('templateSettings.subject')} {...field('subject')} maxLength={998} data-testid="template-subject" />
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
        initialHtml={values.html}
        onChange={(html) => setValue('html', html)}
        label={t('templateSettings.body')}
        testId="template-body"
        minHeight={160}
        onEditor={onEditor}
      />
      <Checkbox
        label={t('templateSettings.shared')}
        description={me.role === 'admin' ? undefined : t('templateSettings.sharedHint')}
        {...field('shared', { type: 'checkbox' })}
        disabled={me.role !== 'admin'}
        data-testid="template-shared"
      />
    </ModalForm>
  );
}
