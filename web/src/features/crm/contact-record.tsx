import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { BouncingBadge } from '../bounces/bounce-notice.tsx';
import { EmailRecordButton, recordRequests } from '../compose/email-record-button.tsx';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { ContactFormModal } from './contact-form-modal.tsx';
import { DealsPanel } from './deals-panel.tsx';
import { PurchasesPanel } from './purchases-panel.tsx';
import { BadgeList, RecordLayout, RecordNotes, RecordPending, useRecordPage } from './record-page.tsx';
import { useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import { usePeople } from './use-people.ts';

/** /contacts/:id — who the person is, and everything the team did with them. */
export function ContactRecordPage() {
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const page = useRecordPage('contact', async (id) => (await crmApi.contact(id)).contact);
  const { links, record: contact } = page;

  const companyOpt = useMemo(() => (contact?.company ? { value: contact.company.id, label: contact.company.name } : undefined), [contact]);
  const selfOpt = useMemo(() => (contact ? [{ value: contact.id, label: contact.name }] : []), [contact]);

  if (page.error || !contact) return <RecordPending page={page} />;

  return (
    <RecordLayout
      page={page}
      name={contact.name}
      actions={<EmailRecordButton request={() => recordRequests.contact(contact)} testId="contact-email-button" />}
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
                  <BouncingBadge email={e} />
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
      tabs={{
        timeline: <TimelinePanel record="contacts" id={contact.id} />,
        activities: <ActivitiesPanel links={links} />,
        deals: <DealsPanel filter={links} company={companyOpt} contacts={selfOpt} />,
        purchases: <PurchasesPanel links={links} />,
      }}
      form={(props) => <ContactFormModal contact={contact} onSaved={page.saved} {...props} />}
      remove={() => crmApi.deleteContact(contact.id)}
    >
      <RecordNotes notes={contact.notes} />
    </RecordLayout>
  );
}
