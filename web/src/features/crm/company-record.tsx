import { Alert, Badge, Button, Group, Loader, Paper, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useRecordQuery } from '../../api/use-record-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CompanyFormModal } from './company-form-modal.tsx';
import { ContactFormModal } from './contact-form-modal.tsx';
import { ContactsTable } from './contacts-table.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { DealsPanel } from './deals-panel.tsx';
import { LoadMore } from './load-more.tsx';
import { PurchasesPanel } from './purchases-panel.tsx';
import { RecordHeader } from './record-header.tsx';
import { useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import type { Company, Contact } from './types.ts';
import { useKeysetQuery } from '../../api/use-keyset-query.ts';
import { usePeople } from './use-people.ts';

function CompanyContacts({ company }: { company: Company }) {
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const [sort, setSort] = useState('name');
  const [adding, setAdding] = useState<Contact | null | false>(false);
  const list = useKeysetQuery(['contacts', { companyId: company.id, sort }], (cursor) =>
    crmApi.contacts({ companyId: company.id, sort, cursor, limit: 50 }),
  );
  return (
    <Stack gap="sm">
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => setAdding(null)}
          data-testid="company-add-contact"
        >
          {t('contacts.create')}
        </Button>
      </Group>
      <Paper withBorder>
        {list.items?.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">
            {t('contacts.empty')}
          </Text>
        ) : (
          <ContactsTable
            contacts={list.items ?? []}
            sort={sort}
            onSort={setSort}
            ownerName={nameOf}
            hideCompany
            onEdit={(c) => setAdding(c)}
            onDelete={(c) => {
              crmApi
                .deleteContact(c.id)
                .then(() => list.setItems((p) => (p ?? []).filter((x) => x.id !== c.id)))
                .catch(() => undefined);
            }}
          />
        )}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId="company-contacts-more" />
      </Paper>
      <ContactFormModal
        opened={adding !== false}
        contact={adding || null}
        company={{ id: company.id, name: company.name }}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          void list.reload();
        }}
      />
    </Stack>
  );
}

/** /companies/:id — the company, its people, their mail, its deals and purchases. */
export function CompanyRecordPage() {
  const { id = '' } = useParams();
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const navigate = useNavigate();
  const { record: company, error, setRecord: setCompany } = useRecordQuery(['company', id], async () => (await crmApi.company(id)).company);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const links = useMemo(() => ({ companyId: id }), [id]);
  const companyOpt = useMemo(() => (company ? { value: company.id, label: company.name } : undefined), [company]);

  if (error) return <CrmErrorAlert error={error} testId="company-load-error" />;
  if (!company)
    return (
      <Group justify="center" p="xl">
        <Loader size="sm" />
      </Group>
    );

  return (
    <>
      <RecordHeader
        testId="company-header"
        back={{ to: '/companies', label: t('companies.title') }}
        name={company.name}
        actions={
          <>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing(true)}
              data-testid="company-edit-button"
            >
              {t('actions.edit')}
            </Button>
            <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(true)}>
              {t('actions.delete')}
            </Button>
          </>
        }
        facts={[
          {
            label: t('fields.domains'),
            value: company.domains.length ? (
              <Group gap={4}>
                {company.domains.map((d) => (
                  <Badge key={d} size="sm" variant="outline" tt="none">
                    {d}
                  </Badge>
                ))}
              </Group>
            ) : (
              '—'
            ),
          },
          { label: t('fields.industry'), value: company.industry ?? '—' },
          { label: t('fields.owner'), value: nameOf(company.ownerId) },
        ]}
      />
      {company.notes ? (
        <Alert variant="light" color="gray" mb="md" title={t('fields.notes')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {company.notes}
          </Text>
        </Alert>
      ) : null}
      <Tabs defaultValue="contacts" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="contacts" data-testid="tab-contacts">
            {t('tabs.contacts')}
          </Tabs.Tab>
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
        <Tabs.Panel value="contacts">
          <CompanyContacts company={company} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <TimelinePanel record="companies" id={company.id} />
        </Tabs.Panel>
        <Tabs.Panel value="activities">
          <ActivitiesPanel links={links} />
        </Tabs.Panel>
        <Tabs.Panel value="deals">
          <DealsPanel filter={links} company={companyOpt} />
        </Tabs.Panel>
        <Tabs.Panel value="purchases">
          <PurchasesPanel links={links} />
        </Tabs.Panel>
      </Tabs>
      <CompanyFormModal
        opened={editing}
        company={company}
        onClose={() => setEditing(false)}
        onSaved={(c) => {
          setEditing(false);
          setCompany(c);
          notifications.show({ color: 'teal', message: t('saved') });
        }}
      />
      <ConfirmModal
        opened={deleting}
        title={t('companies.deleteTitle', { name: company.name })}
        body={t('companies.deleteBody')}
        confirmLabel={t('actions.delete')}
        onConfirm={async () => {
          await crmApi.deleteCompany(company.id);
          navigate('/companies');
        }}
        onClose={() => setDeleting(false)}
        testId="company-delete-modal"
      />
    </>
  );
}
