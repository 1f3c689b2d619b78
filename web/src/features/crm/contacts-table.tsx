import { Anchor } from '@mantine/core';
import { type RecordRows, RecordTable } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { Link } from 'react-router-dom';
import { RECORD_KINDS } from './record-kinds.ts';
import { useCrmT } from './text.ts';
import type { Contact } from './types.ts';

/** A dense list of contacts; the name opens the contact's page. The company page hides the company column. */
export function ContactsTable({
  ownerName,
  hideCompany,
  ...rows
}: RecordRows<Contact> & { ownerName(id: string): string; hideCompany?: boolean }) {
  const { t } = useCrmT();
  return (
    <RecordTable
      {...rows}
      record={RECORD_KINDS.contact}
      minWidth={860}
      columns={[
        { label: t('fields.primaryEmail'), cell: (c) => c.emails.find((e) => e.isPrimary)?.address ?? c.emails[0]?.address ?? '' },
        !hideCompany && {
          label: t('fields.company'),
          cell: (c) =>
            c.company ? (
              <Anchor component={Link} to={`/companies/${c.company.id}`} size="sm">
                {c.company.name}
              </Anchor>
            ) : (
              ''
            ),
        },
        { label: t('fields.title'), cell: (c) => c.title ?? '' },
        { label: t('fields.owner'), cell: (c) => ownerName(c.ownerId) },
        { label: t('fields.tags'), cell: (c) => <BadgeList items={c.tags} /> },
      ]}
    />
  );
}
