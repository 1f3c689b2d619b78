import { TagsInput, TextInput } from '@mantine/core';
import { crmApi } from './api.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { CrmFormBody, RecordFormModal, NameField, NotesField } from './crm-form.tsx';
import { RECORD_KINDS } from './record-kinds.ts';
import { OwnerSelect } from './owner-select.tsx';
import { useCrmT } from './text.ts';
import type { Company } from './types.ts';

interface FormProps {
  company: Company | null;
  onClose(): void;
  onSaved(c: Company, created: boolean): void;
}

/** Creates or edits a company: name, domains (its people's mail finds it), industry, owner, notes. */
export function CompanyFormModal({ opened, company, onClose, onSaved }: { opened: boolean } & FormProps) {
  return (
    <RecordFormModal record={RECORD_KINDS.company} editing={company !== null} opened={opened} onClose={onClose}>
      {/* The form mounts with each opening, so it starts from the company as it is then. */}
      <CompanyForm company={company} onClose={onClose} onSaved={onSaved} />
    </RecordFormModal>
  );
}

function CompanyForm({ company, onClose, onSaved }: FormProps) {
  const { t } = useCrmT();
  const { field, bind, errorOf, submit, submission } = useFieldForm(
    {
      name: company?.name ?? '',
      domains: company?.domains ?? [],
      industry: company?.industry ?? '',
      ownerId: company?.ownerId ?? null,
      notes: company?.notes ?? '',
    },
    (v) => ({ name: v.name.trim() ? null : t('validation.required') }),
  );

  const save = () =>
    submit(async ({ name, domains, industry, ownerId, notes }) => {
      const input = {
        name: name.trim(),
        domains,
        industry: industry.trim() || null,
        notes: notes.trim() || null,
        ...(ownerId ? { ownerId } : {}),
      };
      const saved = company ? (await crmApi.updateCompany(company.id, input)).company : (await crmApi.createCompany(input)).company;
      onSaved(saved, !company);
    });

  return (
    <CrmFormBody testId="company-form" submission={submission} onCancel={onClose} onSubmit={save} creating={!company}>
      <NameField {...bind('name')} error={errorOf('name')} testId="company-form-name" />
      <TagsInput
        label={t('fields.domains')}
        description={t('companies.domainsHint')}
        {...field('domains')}
        placeholder="example.com"
        data-testid="company-form-domains"
      />
      <TextInput label={t('fields.industry')} {...field('industry')} data-testid="company-form-industry" />
      <OwnerSelect label={t('fields.owner')} {...bind('ownerId')} testId="company-form-owner" />
      <NotesField {...bind('notes')} maxRows={8} testId="company-form-notes" />
    </CrmFormBody>
  );
}
