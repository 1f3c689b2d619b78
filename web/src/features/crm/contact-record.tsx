import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useRecordQuery } from '../../api/use-record-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { ContactFormModal } from './contact-form-modal.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { DealsPanel } from './deals-panel.tsx';
import { PurchasesPanel } from './purchases-panel.tsx';
import { RecordHeader } from './record-header.tsx';
import { useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import { usePeople } from './use-people.ts';

/** /contacts/:id — who the person is, and everything the team did with them. */
export function ContactRecordPage() {
  const { id = '' } = useParams();
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const navigate = useNavigate();
  const { record: contact, error, setRecord: setContact } = useRecordQuery(['contact', id], async () => (await crmApi.contact(id)).contact);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const companyOpt = useMemo(() => (contact?.company ? { value: contact.company.id, label: contact.company.name } : undefined), [contact]);
  const selfOpt = useMemo(() => (contact ? [{ value: contact.id, label: contact.name }] : []), [contact]);
  const links = useMemo(() => ({ contactId: id }), [id]);

  if (error) return <CrmErrorAlert error={error} testId="contact-load-error" />;
  if (!contact)
    return (
      <Group justify="center" p="xl">
        <Loader size="sm" />
      </Group>
    );

  return (
    <>
      <RecordHeader
        testId="contact-header"
        back={{ to: '/contacts', label: t('contacts.title') }}
        name={contact.name}
        actions={
          <>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing(true)}
              data-testid="contact-edit-button"
            >
              {t('actions.edit')}
            </Button>
            <Button
              variant="subtle"
              color="red"
              size="xs"
              leftSection={<IconTrash size={14} />}
              onClick={() => setDeleting(true)}
              data-testid="contact-delete-button"
            >
              {t('actions.delete')}
            </Button>
          </>
        }
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
          {
            label: t('fields.tags'),
            value: contact.tags.length ? (
              <Group gap={4}>
                {contact.tags.map((tag) => (
                  <Badge key={tag} size="xs" variant="light">
                    {tag}
                  </Badge>
                ))}
              </Group>
            ) : (
              '—'
            ),
          },
          { label: t('fields.owner'), value: nameOf(contact.ownerId) },
        ]}
      />
      {contact.notes ? (
        <Alert variant="light" color="gray" mb="md" title={t('fields.notes')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {contact.notes}
          </Text>
        </Alert>
      ) : null}
      <Tabs defaultValue="timeline" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="timeline" data-testid="tab-timeline">
            {t('tabs.timeline')}
          </Tabs.Tab>
          <Tabs.Tab value="activities" data-testid="tab-activities">
            {t('tabs.activities')}
          </Tabs.Tab>
          <Tabs.Tab value="deals" data-testid="tab-deals">
            {t('tabs.deals')}
          </Tabs.Tab>
          <Tabs.Tab value="purchases" data-testid="tab-purchases">
            {t('tabs.purchases')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline">
          <TimelinePanel record="contacts" id={contact.id} />
        </Tabs.Panel>
        <Tabs.Panel value="activities">
          <ActivitiesPanel links={links} />
        </Tabs.Panel>
        <Tabs.Panel value="deals">
          <DealsPanel filter={links} company={companyOpt} contacts={selfOpt} />
        </Tabs.Panel>
        <Tabs.Panel value="purchases">
          <PurchasesPanel links={links} />
        </Tabs.Panel>
      </Tabs>
      <ContactFormModal
        opened={editing}
        contact={contact}
        onClose={() => setEditing(false)}
        onSaved={(c) => {
          setEditing(false);
          setContact(c);
          notifications.show({ color: 'teal', message: t('saved') });
        }}
      />
      <ConfirmModal
        opened={deleting}
        title={t('contacts.deleteTitle', { name: contact.name })}
        body={t('contacts.deleteBody')}
        confirmLabel={t('actions.delete')}
        onConfirm={async () => {
          await crmApi.deleteContact(contact.id);
          navigate('/contacts');
        }}
        onClose={() => setDeleting(false)}
        testId="contact-delete-modal"
      />
    </>
  );
}
