import { EmailRecordButton, recordRequests } from '../compose/email-record-button.tsx';
import { useMemo, useState } from 'react';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CompanyFormModal } from './company-form-modal.tsx';
import { ContactFormModal } from './contact-form-modal.tsx';
import { ContactsTable } from './contacts-table.tsx';
import { DealsPanel } from './deals-panel.tsx';
import { PurchasesPanel } from './purchases-panel.tsx';
import { AddButton, TableCard, RecordPanel } from './record-panel.tsx';
import { BadgeList, RecordLayout, RecordNotes, RecordPending, useRecordPage } from './record-page.tsx';
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
    <RecordPanel actions={<AddButton label={t('contacts.create')} onClick={() => setAdding(null)} testId="company-add-contact" />}>
      <TableCard list={list} empty={t('contacts.empty')} moreTestId="company-contacts-more">
        {(contacts) => (
          <ContactsTable
            rows={contacts}
            sort={sort}
            onSort={setSort}
            ownerName={nameOf}
            hideCompany
            menu={{
              onEdit: (c) => setAdding(c),
              onDelete: (c) => {
                crmApi
                  .deleteContact(c.id)
                  .then(() => list.setItems((p) => (p ?? []).filter((x) => x.id !== c.id)))
                  .catch(() => undefined);
              },
            }}
          />
        )}
      </TableCard>
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
    </RecordPanel>
  );
}

/** /companies/:id — the company, its people, their mail, its deals and purchases. */
export function CompanyRecordPage() {
  const { t } = useCrmT();
  const { nameOf } = usePeople();
  const page = useRecordPage('company', async (id) => (await crmApi.company(id)).company);
  const { links, record: company } = page;

  const companyOpt = useMemo(() => (company ? { value: company.id, label: company.name } : undefined), [company]);

  if (page.error || !company) return <RecordPending page={page} />;

  return (
    <RecordLayout
      page={page}
      name={company.name}
      actions={<EmailRecordButton request={() => recordRequests.company(company)} testId="company-email-button" />}
      facts={[
        {
          label: t('fields.domains'),
          value: company.domains.length ? <BadgeList items={company.domains} size="sm" variant="outline" /> : '—',
        },
        { label: t('fields.industry'), value: company.industry ?? '—' },
        { label: t('fields.owner'), value: nameOf(company.ownerId) },
      ]}
      tabs={{
        contacts: <CompanyContacts company={company} />,
        timeline: <TimelinePanel record="companies" id={company.id} />,
        activities: <ActivitiesPanel links={links} />,
        deals: <DealsPanel filter={links} company={companyOpt} />,
        purchases: <PurchasesPanel links={links} />,
      }}
      form={(props) => <CompanyFormModal company={company} onSaved={page.saved} {...props} />}
      remove={() => crmApi.deleteCompany(company.id)}
    >
      <RecordNotes notes={company.notes} />
    </RecordLayout>
  );
}
