import { Anchor, Table } from '@mantine/core';
import { RecordTable } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { Link } from 'react-router-dom';
import { RECORD_KINDS } from './record-kinds.ts';
import { useCrmT } from './text.ts';
import type { Contact } from './types.ts';

interface Props {
  contacts: Contact[];
  sort: string;
  onSort(sort: string): void;
  ownerName(id: string): string;
  onEdit(contact: Contact): void;
  onDelete(contact: Contact): void;
  /** The company page hides the company column. */
  hideCompany?: boolean;
}

/** A dense list of contacts; the name opens the contact's page. */
export function ContactsTable({ contacts, sort, onSort, ownerName, onEdit, onDelete, hideCompany }: Props) {
  const { t } = useCrmT();
  return (
    <RecordTable
      record={RECORD_KINDS.contact}
      rows={contacts}
      minWidth={860}
      sort={sort}
      onSort={onSort}
      menu={{ onEdit, onDelete }}
      columns={[
        { label: t('fields.primaryEmail') },
        !hideCompany && { label: t('fields.company') },
        { label: t('fields.title') },
        { label: t('fields.owner') },
        { label: t('fields.tags') },
      ]}
      cells={(c) => (
        <>
          <Table.Td>{c.emails.find((e) => e.isPrimary)?.address ?? c.emails[0]?.address ?? ''}</Table.Td>
          {hideCompany ? null : (
            <Table.Td>
              {c.company ? (
                <Anchor component={Link} to={`/companies/${c.company.id}`} size="sm">
                  {c.company.name}
                </Anchor>
              ) : (
                ''
              )}
            </Table.Td>
          )}
          <Table.Td>{c.title ?? ''}</Table.Td>
          <Table.Td>{ownerName(c.ownerId)}</Table.Td>
          <Table.Td>
            <BadgeList items={c.tags} />
          </Table.Td>
        </>
      )}
    />
  );
}
