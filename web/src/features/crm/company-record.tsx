import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CompanyFormModal } from './company-form-modal.tsx';
import { ContactFormModal } from './contact-form-modal.tsx';
import { ContactsTable } from './contacts-table.tsx';
import { DealsPanel } from './deals-panel.tsx';
import { LoadMore } from './load-more.tsx';
import { PurchasesPanel } from './purchases-panel.tsx';
import { RecordHeader } from './record-header.tsx';
import { BadgeList, DeleteRecordModal, RecordActions, RecordNotes, RecordPending, RecordTabs, useRecordPage } from './record-page.tsx';
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
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const page = useRecordPage('company', async (id) => (await crmApi.company(id)).company);
  const { id, record: company } = page;

  const links = useMemo(() => ({ companyId: id }), [id]);
  const companyOpt = useMemo(() => (company ? { value: company.id, label: company.name } : undefined), [company]);

  if (page.error || !company) return <RecordPending one="company" error={page.error} />;

  return (
    <>
      <RecordHeader
        testId="company-header"
        back={{ to: '/companies', label: t('companies.title') }}
        name={company.name}
        actions={<RecordActions one="company" onEdit={() => page.setEditing(true)} onDelete={() => page.setDeleting(true)} />}
        facts={[
          {
            label: t('fields.domains'),
            value: company.domains.length ? <BadgeList items={company.domains} size="sm" variant="outline" /> : '—',
          },
          { label: t('fields.industry'), value: company.industry ?? '—' },
          { label: t('fields.owner'), value: nameOf(company.ownerId) },
        ]}
      />
      <RecordNotes notes={company.notes} />
      <RecordTabs
        tabs={[
          { value: 'contacts', label: t('tabs.contacts'), panel: <CompanyContacts company={company} /> },
          { value: 'timeline', label: t('tabs.timeline'), panel: <TimelinePanel record="companies" id={company.id} /> },
          { value: 'activities', label: t('tabs.activities'), panel: <ActivitiesPanel links={links} /> },
          { value: 'deals', label: t('tabs.deals'), panel: <DealsPanel filter={links} company={companyOpt} /> },
          { value: 'purchases', label: t('tabs.purchases'), panel: <PurchasesPanel links={links} /> },
        ]}
      />
      <CompanyFormModal opened={page.editing} company={company} onClose={() => page.setEditing(false)} onSaved={page.saved} />
      <DeleteRecordModal
        kind="companies"
        one="company"
        name={company.name}
        opened={page.deleting}
        onClose={() => page.setDeleting(false)}
        remove={() => crmApi.deleteCompany(company.id)}
      />
    </>
  );
}
