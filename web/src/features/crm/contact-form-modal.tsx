import { ActionIcon, Button, Group, Radio, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { crmApi } from './api.ts';
import { useFormSubmit } from '../../components/modal-form.tsx';
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
  const [name, setName] = useState(contact?.name ?? '');
  const [emails, setEmails] = useState<EmailRow[]>(() => {
    const rows = contact?.emails.map((e) => ({ id: e.id, address: e.address })) ?? [];
    return rows.length ? rows : [{ id: null, address: '' }];
  });
  const [primary, setPrimary] = useState(() => Math.max(0, contact?.emails.findIndex((e) => e.isPrimary) ?? 0));
  const [phones, setPhones] = useState<string[]>(() => contact?.phones.map((p) => p.number) ?? []);
  const [companyOpt, setCompanyOpt] = useState<{ value: string; label: string } | null>(() => {
    const co = contact?.company ?? company ?? null;
    return co ? { value: co.id, label: co.name } : null;
  });
  const [title, setTitle] = useState(contact?.title ?? '');
  const [tags, setTags] = useState<string[]>(contact?.tags ?? []);
  const [ownerId, setOwnerId] = useState<string | null>(contact?.ownerId ?? null);
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const submission = useFormSubmit();
  const [invalid, setInvalid] = useState<Record<string, string>>({});

  const setEmail = (i: number, address: string) => setEmails((list) => list.map((e, j) => (j === i ? { ...e, address } : e)));

  async function save() {
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = t('validation.required');
    emails.forEach((e, i) => {
      if (e.address.trim() && !EMAIL.test(e.address.trim())) problems[`email${i}`] = t('validation.email');
    });
    setInvalid(problems);
    if (Object.keys(problems).length) return;
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
    await submission.submit(true, async () => {
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
  }

  return (
    <CrmFormBody testId="contact-form" submission={submission} onCancel={onClose} onSubmit={save} creating={!contact}>
      <NameField value={name} onChange={setName} error={invalid.name} testId="contact-form-name" />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('fields.emails')}
        </Text>
        <Radio.Group value={String(primary)} onChange={(v) => setPrimary(Number(v))}>
          <Stack gap={6}>
            {emails.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: an address row being typed has no id; its place is its identity
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  flex={1}
                  value={e.address}
                  onChange={(ev) => setEmail(i, ev.currentTarget.value)}
                  error={invalid[`email${i}`]}
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
                    setEmails((l) => l.filter((_, j) => j !== i));
                    setPrimary((p) => (p === i ? 0 : p > i ? p - 1 : p));
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
            onClick={() => setEmails((l) => [...l, { id: null, address: '' }])}
            data-testid="contact-form-add-email"
          >
            {t('actions.addEmail')}
          </Button>
        </Group>
      </Stack>
      <TagsInput
        label={t('fields.phones')}
        value={phones}
        onChange={setPhones}
        description={t('contacts.phonesHint')}
        data-testid="contact-form-phones"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CompanySelect label={t('fields.company')} value={companyOpt} onChange={setCompanyOpt} testId="contact-form-company" />
        <TextInput
          label={t('fields.title')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          data-testid="contact-form-title"
        />
      </SimpleGrid>
      <TagsInput label={t('fields.tags')} value={tags} onChange={setTags} data-testid="contact-form-tags" />
      <OwnerSelect label={t('fields.owner')} value={ownerId} onChange={setOwnerId} testId="contact-form-owner" />
      <NotesField value={notes} onChange={setNotes} maxRows={6} />
    </CrmFormBody>
  );
}
