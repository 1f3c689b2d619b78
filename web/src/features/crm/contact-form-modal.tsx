import { ActionIcon, Button, Group, Radio, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { crmApi } from './api.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { CrmFormBody, RecordFormModal, NameField, NotesField } from './crm-form.tsx';
import { RECORD_KINDS } from './record-kinds.ts';
import { OwnerSelect } from './owner-select.tsx';
import { CompanySelect } from './record-select.tsx';
import { useCrmT } from './text.ts';
import type { Contact } from './types.ts';

interface Props {
  opened: boolean;
  contact: Contact | null;
  /** Preselected company when creating from a company page. */
  company?: { id: string; name: string } | null;
  onClose(): void;
  onSaved(contact: Contact, created: boolean): void;
}

interface EmailRow {
  id: string | null;
  address: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const optionOf = (co: { id: string; name: string } | null) => (co ? { value: co.id, label: co.name } : null);

/** The contact's addresses, or one empty row to type the first into. */
function initialEmails(contact: Contact | null): EmailRow[] {
  const rows = contact?.emails.map((e) => ({ id: e.id, address: e.address })) ?? [];
  return rows.length ? rows : [{ id: null, address: '' }];
}

/** Creates or edits a contact: several addresses (one primary), phones, company, title, tags, owner. */
export function ContactFormModal({ opened, contact, company, onClose, onSaved }: Props) {
  return (
    <RecordFormModal record={RECORD_KINDS.contact} editing={contact !== null} opened={opened} onClose={onClose} size="lg">
      {/* The form mounts with each opening, so it starts from the record as it is then. */}
      <ContactForm contact={contact} company={company} onClose={onClose} onSaved={onSaved} />
    </RecordFormModal>
  );
}

function ContactForm({ contact, company, onClose, onSaved }: Omit<Props, 'opened'>) {
  const { t } = useCrmT();
  const { values, setValue, field, bind, errorOf, submit, submission } = useFieldForm(
    {
      name: contact?.name ?? '',
      emails: initialEmails(contact),
      primary: Math.max(0, contact?.emails.findIndex((e) => e.isPrimary) ?? 0),
      phones: contact?.phones.map((p) => p.number) ?? [],
      companyOpt: optionOf(contact?.company ?? company ?? null),
      title: contact?.title ?? '',
      tags: contact?.tags ?? [],
      ownerId: contact?.ownerId ?? null,
      notes: contact?.notes ?? '',
    },
    (v) => {
      const problems: Record<string, string | null> = { name: v.name.trim() ? null : t('validation.required') };
      v.emails.forEach((e, i) => {
        if (e.address.trim() && !EMAIL.test(e.address.trim())) problems[`email${i}`] = t('validation.email');
      });
      return problems;
    },
  );
  const { emails, primary } = values;

  const setEmail = (i: number, address: string) => setValue('emails', (list) => list.map((e, j) => (j === i ? { ...e, address } : e)));

  const save = () =>
    submit(async ({ name, companyOpt, title, phones, tags, notes, ownerId }) => {
      const filled = emails
        .map((e, i) => ({ ...e, address: e.address.trim().toLowerCase(), primary: i === primary }))
        .filter((e) => e.address);
      const fields = {
        name: name.trim(),
        companyId: companyOpt?.value ?? null,
        title: title.trim() || null,
        phones: phones.map((number) => ({ label: null, number })),
        tags,
        notes: notes.trim() || null,
        ...(ownerId ? { ownerId } : {}),
      };
      let saved: Contact;
      if (!contact) {
        // The first address the API receives is the primary one.
        const ordered = [...filled.filter((e) => e.primary), ...filled.filter((e) => !e.primary)].map((e) => e.address);
        saved = (await crmApi.createContact({ ...fields, emails: ordered })).contact;
      } else {
        saved = (await crmApi.updateContact(contact.id, fields)).contact;
        const kept = new Set(filled.filter((e) => e.id).map((e) => e.id));
        for (const old of contact.emails) if (!kept.has(old.id)) await crmApi.removeEmail(contact.id, old.id);
        for (const e of filled.filter((x) => !x.id)) saved = (await crmApi.addEmail(contact.id, e.address, e.primary)).contact;
        saved = (await crmApi.contact(contact.id)).contact;
        const wanted = filled.find((e) => e.primary);
        const current = saved.emails.find((e) => e.isPrimary);
        const target = wanted && saved.emails.find((e) => e.address === wanted.address);
        if (target && current?.id !== target.id) saved = (await crmApi.setPrimaryEmail(contact.id, target.id)).contact;
      }
      onSaved(saved, !contact);
    });

  return (
    <CrmFormBody testId="contact-form" submission={submission} onCancel={onClose} onSubmit={save} creating={!contact}>
      <NameField {...bind('name')} error={errorOf('name')} testId="contact-form-name" />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('fields.emails')}
        </Text>
        <Radio.Group value={String(primary)} onChange={(v) => setValue('primary', Number(v))}>
          <Stack gap={6}>
            {emails.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an address row being typed has no id; its place is its identity
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  flex={1}
                  value={e.address}
                  onChange={(ev) => setEmail(i, ev.currentTarget.value)}
                  error={errorOf(`email${i}`)}
                  placeholder="name@example.com"
                  aria-label={t('fields.email')}
                  data-testid={`contact-form-email-${i}`}
                />
                <Radio value={String(i)} label={t('fields.primary')} mt={8} data-testid={`contact-form-primary-${i}`} />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  mt={4}
                  aria-label={t('actions.remove')}
                  onClick={() => {
                    setValue('emails', (l) => l.filter((_, j) => j !== i));
                    setValue('primary', (p) => (p === i ? 0 : p > i ? p - 1 : p));
                  }}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        </Radio.Group>
        <Group>
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            onClick={() => setValue('emails', (l) => [...l, { id: null, address: '' }])}
            data-testid="contact-form-add-email"
          >
            {t('actions.addEmail')}
          </Button>
        </Group>
      </Stack>
      <TagsInput label={t('fields.phones')} {...field('phones')} description={t('contacts.phonesHint')} data-testid="contact-form-phones" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CompanySelect label={t('fields.company')} {...bind('companyOpt')} testId="contact-form-company" />
        <TextInput label={t('fields.title')} {...field('title')} data-testid="contact-form-title" />
      </SimpleGrid>
      <TagsInput label={t('fields.tags')} {...field('tags')} data-testid="contact-form-tags" />
      <OwnerSelect label={t('fields.owner')} {...bind('ownerId')} testId="contact-form-owner" />
      <NotesField {...bind('notes')} maxRows={6} />
    </CrmFormBody>
  );
}
