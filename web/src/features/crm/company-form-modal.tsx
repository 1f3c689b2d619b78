import { Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { crmApi } from './api.ts';
import { FormFooter } from '../../components/form-footer.tsx';
import { useFormSubmit } from '../../components/modal-form.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
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
  const { t } = useCrmT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={company ? t('companies.editTitle') : t('companies.createTitle')}
      data-testid="company-form"
    >
      {/* The form mounts with each opening, so it starts from the company as it is then. */}
      <CompanyForm company={company} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}

function CompanyForm({ company, onClose, onSaved }: FormProps) {
  const { t } = useCrmT();
  const [name, setName] = useState(company?.name ?? '');
  const [domains, setDomains] = useState<string[]>(company?.domains ?? []);
  const [industry, setIndustry] = useState(company?.industry ?? '');
  const [ownerId, setOwnerId] = useState<string | null>(company?.ownerId ?? null);
  const [notes, setNotes] = useState(company?.notes ?? '');
  const { busy, error, submit } = useFormSubmit();
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
    await submit(true, async () => {
      const saved = company ? (await crmApi.updateCompany(company.id, input)).company : (await crmApi.createCompany(input)).company;
      onSaved(saved, !company);
    });
  }

  return (
    <Stack gap="sm">
      <CrmErrorAlert error={error} testId="company-form-error" />
      <TextInput
        label={t('fields.name')}
        required
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={nameError}
        data-testid="company-form-name"
        data-autofocus
      />
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
      <Textarea
        label={t('fields.notes')}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={8}
        data-testid="company-form-notes"
      />
      <FormFooter
        onCancel={onClose}
        cancelLabel={t('actions.cancel')}
        onSubmit={() => void save()}
        busy={busy}
        submitLabel={company ? t('actions.save') : t('actions.create')}
        submitTestId="company-form-submit"
      />
    </Stack>
  );
}
