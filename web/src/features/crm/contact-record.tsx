import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { ContactFormModal } from './contact-form-modal.tsx';
import { DealsPanel } from './deals-panel.tsx';
import { PurchasesPanel } from './purchases-panel.tsx';
import { RecordHeader } from './record-header.tsx';
import { BadgeList, DeleteRecordModal, RecordActions, RecordNotes, RecordPending, RecordTabs, useRecordPage } from './record-page.tsx';
import { useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import { usePeople } from './use-people.ts';

/** /contacts/:id — who the person is, and everything the team did with them. */
export function ContactRecordPage() {
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const page = useRecordPage('contact', async (id) => (await crmApi.contact(id)).contact);
  const { id, record: contact } = page;

  const companyOpt = useMemo(() => (contact?.company ? { value: contact.company.id, label: contact.company.name } : undefined), [contact]);
  const selfOpt = useMemo(() => (contact ? [{ value: contact.id, label: contact.name }] : []), [contact]);
  const links = useMemo(() => ({ contactId: id }), [id]);

  if (page.error || !contact) return <RecordPending one="contact" error={page.error} />;

  return (
    <>
      <RecordHeader
        testId="contact-header"
        back={{ to: '/contacts', label: t('contacts.title') }}
        name={contact.name}
        actions={<RecordActions one="contact" onEdit={() => page.setEditing(true)} onDelete={() => page.setDeleting(true)} />}
        facts={[
          {
            label: t('fields.emails'),
            value: contact.emails.length ? (
              <Stack gap={0}>
                {contact.emails.map((e) => (
                  <Group key={e.id} gap={4}>
                    <Text size="sm">{e.address}</Text>
                    {e.isPrimary ? (
                      <Badge size="xs" variant="light">
                        {t('fields.primary')}
                      </Badge>
                    ) : null}
                  </Group>
                ))}
              </Stack>
            ) : (
              '—'
            ),
          },
          { label: t('fields.phones'), value: contact.phones.map((p) => p.number).join(', ') || '—' },
          {
            label: t('fields.company'),
            value: contact.company ? (
              <Anchor component={Link} to={`/companies/${contact.company.id}`} size="sm" data-testid="contact-company-link">
                {contact.company.name}
              </Anchor>
            ) : (
              '—'
            ),
          },
          { label: t('fields.title'), value: contact.title ?? '—' },
          { label: t('fields.tags'), value: contact.tags.length ? <BadgeList items={contact.tags} /> : '—' },
          { label: t('fields.owner'), value: nameOf(contact.ownerId) },
        ]}
      />
      <RecordNotes notes={contact.notes} />
      <RecordTabs
        tabs={[
          { value: 'timeline', label: t('tabs.timeline'), panel: <TimelinePanel record="contacts" id={contact.id} /> },
          { value: 'activities', label: t('tabs.activities'), panel: <ActivitiesPanel links={links} /> },
          { value: 'deals', label: t('tabs.deals'), panel: <DealsPanel filter={links} company={companyOpt} contacts={selfOpt} /> },
          { value: 'purchases', label: t('tabs.purchases'), panel: <PurchasesPanel links={links} /> },
        ]}
      />
      <ContactFormModal opened={page.editing} contact={contact} onClose={() => page.setEditing(false)} onSaved={page.saved} />
      <DeleteRecordModal
        kind="contacts"
        one="contact"
        name={contact.name}
        opened={page.deleting}
        onClose={() => page.setDeleting(false)}
        remove={() => crmApi.deleteContact(contact.id)}
      />
    </>
  );
}
