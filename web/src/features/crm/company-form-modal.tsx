import { Modal, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { crmApi } from './api.ts';
import { FormFooter } from '../../components/form-footer.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { OwnerSelect } from './owner-select.tsx';
import { useCrmT } from './text.ts';
import type { Company } from './types.ts';

/** Creates or edits a company: name, domains (its people's mail finds it), industry, owner, notes. */
export function CompanyFormModal({ opened, company, onClose, onSaved }: { opened: boolean; company: Company | null; onClose(): void; onSaved(c: Company, created: boolean): void }) {
  const { t } = useCrmT();
  const [name, setName] = useState('');
  const [domains, setDomains] = useState<string[]>([]);
  const [industry, setIndustry] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [nameError, setNameError] = useState<string | null>(null);

  useEffect(() => {
    if (!opened) return;
    setName(company?.name ?? '');
    setDomains(company?.domains ?? []);
    setIndustry(company?.industry ?? '');
    setOwnerId(company?.ownerId ?? null);
    setNotes(company?.notes ?? '');
    setError(null);
    setNameError(null);
  }, [opened, company]);

  async function save() {
    if (!name.trim()) {
      setNameError(t('validation.required'));
      return;
    }
    setBusy(true);
    setError(null);
    const input = { name: name.trim(), domains, industry: industry.trim() || null, notes: notes.trim() || null, ...(ownerId ? { ownerId } : {}) };
    try {
      const saved = company ? (await crmApi.updateCompany(company.id, input)).company : (await crmApi.createCompany(input)).company;
      onSaved(saved, !company);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={company ? t('companies.editTitle') : t('companies.createTitle')} data-testid="company-form">
      <Stack gap="sm">
        <CrmErrorAlert error={error} testId="company-form-error" />
        <TextInput label={t('fields.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} data-testid="company-form-name" data-autofocus />
        <TagsInput label={t('fields.domains')} description={t('companies.domainsHint')} value={domains} onChange={setDomains} placeholder="example.com" data-testid="company-form-domains" />
        <TextInput label={t('fields.industry')} value={industry} onChange={(e) => setIndustry(e.currentTarget.value)} data-testid="company-form-industry" />
        <OwnerSelect label={t('fields.owner')} value={ownerId} onChange={setOwnerId} testId="company-form-owner" />
        <Textarea label={t('fields.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={2} maxRows={8} data-testid="company-form-notes" />
        <FormFooter onCancel={onClose} cancelLabel={t('actions.cancel')} onSubmit={() => void save()} busy={busy} submitLabel={company ? t('actions.save') : t('actions.create')} submitTestId="company-form-submit" />
      </Stack>
    </Modal>
  );
}
