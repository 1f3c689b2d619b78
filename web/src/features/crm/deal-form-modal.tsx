import { Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { crmApi } from './api.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { CrmFormBody, RecordFormModal, CurrencySelect, DateField, NameField } from './crm-form.tsx';
import { RECORD_KINDS } from './record-kinds.ts';
import { OwnerSelect } from './owner-select.tsx';
import { CompanySelect, ContactsSelect } from './record-select.tsx';
import { stageLabel, useCrmT } from './text.ts';
import { useDealLinks } from './use-deal-links.ts';
import type { Deal, Stage } from './types.ts';

type Option = { value: string; label: string };

interface Props {
  opened: boolean;
  deal: Deal | null;
  stages: Stage[];
  /** Preselected links when creating from a record page. */
  company?: Option | null;
  contacts?: Option[];
  onClose(): void;
  onSaved(deal: Deal, created: boolean): void;
}

/** Creates or edits a deal: name, amount and currency, stage, expected close date, company, contacts, owner. */
export function DealFormModal({ opened, onClose, ...rest }: Props) {
  return (
    <RecordFormModal record={RECORD_KINDS.deal} editing={rest.deal !== null} opened={opened} onClose={onClose} size="lg">
      {/* The form mounts with each opening, so it starts from the deal as it is then. */}
      <DealForm onClose={onClose} {...rest} />
    </RecordFormModal>
  );
}

function DealForm({ deal, stages, company, contacts, onClose, onSaved }: Omit<Props, 'opened'>) {
  const { t, i18n } = useCrmT();
  const openStageId = stages.find((s) => s.kind === 'open')?.id ?? null;
  const { values, setValue, field, bind, errorOf, submit, submission } = useFieldForm(
    {
      name: deal?.name ?? '',
      amount: deal?.amount ?? '',
      currency: deal?.currency ?? 'CNY',
      stageId: deal?.stageId ?? openStageId,
      close: deal?.expectedCloseDate ?? '',
      lostReason: deal?.lostReason ?? '',
      ownerId: deal?.ownerId ?? null,
    },
    (v) => ({
      name: v.name.trim() ? null : t('validation.required'),
      amount: v.amount.trim() && !/^\d+(\.\d{1,2})?$/.test(v.amount.trim()) ? t('validation.amount') : null,
      lostReason: stageOf(v.stageId)?.kind === 'lost' && !v.lostReason.trim() ? t('validation.required') : null,
    }),
  );
  // The pickers start from the deal's own links once their names arrive; undefined until the user picks.
  const linked = useDealLinks(deal);
  const [companyPick, setCompanyOpt] = useState<Option | null>();
  const [contactPicks, setContactOpts] = useState<Option[]>();

  useEffect(() => {
    // The stages may arrive after the form opened.
    if (!deal && !values.stageId && openStageId) setValue('stageId', openStageId);
  }, [deal, values.stageId, setValue, openStageId]);

  const linkedCompany = linked.company ? { value: linked.company.id, label: linked.company.name } : null;
  const linkedContacts = linked.contacts.map((c) => ({ value: c.id, label: c.name }));
  const companyOpt = companyPick !== undefined ? companyPick : (linkedCompany ?? company ?? null);
  const contactOpts = contactPicks ?? (linkedContacts.length ? linkedContacts : (contacts ?? []));
  function stageOf(id: string | null) {
    return stages.find((s) => s.id === id);
  }
  const stage = stageOf(values.stageId);

  const save = () =>
    submit(async ({ name, amount, currency, stageId, close, lostReason, ownerId }) => {
      const input = {
        name: name.trim(),
        amount: amount.trim() || '0',
        currency,
        stageId: stageId ?? undefined,
        expectedCloseDate: close || null,
        companyId: companyOpt?.value ?? null,
        contactIds: contactOpts.map((o) => o.value),
        ...(stage?.kind === 'lost' && { lostReason: lostReason.trim() }),
        ...(ownerId ? { ownerId } : {}),
      };
      const saved = deal ? (await crmApi.updateDeal(deal.id, input)).deal : (await crmApi.createDeal(input)).deal;
      onSaved(saved, !deal);
    });

  return (
    <CrmFormBody testId="deal-form" submission={submission} onCancel={onClose} onSubmit={save} creating={!deal}>
      <NameField {...bind('name')} error={errorOf('name')} testId="deal-form-name" />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t('fields.amount')} {...field('amount')} placeholder="0.00" inputMode="decimal" data-testid="deal-form-amount" />
        <CurrencySelect {...bind('currency')} testId="deal-form-currency" />
        <DateField label={t('fields.expectedClose')} {...bind('close')} testId="deal-form-close" />
      </SimpleGrid>
      <Select
        label={t('fields.stage')}
        data={stages.map((s) => ({ value: s.id, label: stageLabel(s.name, i18n.language) }))}
        {...bind('stageId')}
        allowDeselect={false}
        data-testid="deal-form-stage"
      />
      {stage?.kind === 'lost' ? (
        <Textarea label={t('fields.lostReason')} {...field('lostReason')} required data-testid="deal-form-lost-reason" />
      ) : null}
      <CompanySelect label={t('fields.company')} value={companyOpt} onChange={setCompanyOpt} testId="deal-form-company" />
      <ContactsSelect label={t('fields.contacts')} value={contactOpts} onChange={setContactOpts} testId="deal-form-contacts" />
      <OwnerSelect label={t('fields.owner')} {...bind('ownerId')} testId="deal-form-owner" />
    </CrmFormBody>
  );
}
