import { TagsInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { crmApi } from './api.ts';
import { useFormSubmit } from '../../components/modal-form.tsx';
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
  const [name, setName] = useState(company?.name ?? '');
  const [domains, setDomains] = useState<string[]>(company?.domains ?? []);
  const [industry, setIndustry] = useState(company?.industry ?? '');
  const [ownerId, setOwnerId] = useState<string | null>(company?.ownerId ?? null);
  const [notes, setNotes] = useState(company?.notes ?? '');
  const submission = useFormSubmit();
  const [nameError, setNameError] = useState<string | null>(null);

  async function save() {
    if (!name.trim()) {
      setNameError(t('validation.required'));
      return;
    }
    const input = {
      name: name.trim(),
      domains,
      industry: industry.trim() || null,
      notes: notes.trim() || null,
      ...(ownerId ? { ownerId } : {}),
    };
    await submission.submit(true, async () => {
      const saved = company ? (await crmApi.updateCompany(company.id, input)).company : (await crmApi.createCompany(input)).company;
      onSaved(saved, !company);
    });
  }

  return (
    <CrmFormBody testId="company-form" submission={submission} onCancel={onClose} onSubmit={save} creating={!company}>
      <NameField value={name} onChange={setName} error={nameError} testId="company-form-name" />
      <TagsInput
        label={t('fields.domains')}
        description={t('companies.domainsHint')}
        value={domains}
        onChange={setDomains}
        placeholder="example.com"
        data-testid="company-form-domains"
      />
      <TextInput
        label={t('fields.industry')}
        value={industry}
        onChange={(e) => setIndustry(e.currentTarget.value)}
        data-testid="company-form-industry"
      />
      <OwnerSelect label={t('fields.owner')} value={ownerId} onChange={setOwnerId} testId="company-form-owner" />
      <NotesField value={notes} onChange={setNotes} maxRows={8} testId="company-form-notes" />
    </CrmFormBody>
  );
}
