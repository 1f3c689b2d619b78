import { Anchor, Table } from '@mantine/core';
import { CrmTable, NameCell, UpdatedCell } from './crm-table.tsx';
import { BadgeList } from './record-page.tsx';
import { Link } from 'react-router-dom';
import { RowMenu } from './row-menu.tsx';
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
    <CrmTable
      minWidth={860}
      testId="contacts-table"
      sort={sort}
      onSort={onSort}
      columns={[
        { label: t('fields.name'), sortBy: 'name' },
        { label: t('fields.primaryEmail') },
        !hideCompany && { label: t('fields.company') },
        { label: t('fields.title') },
        { label: t('fields.owner') },
        { label: t('fields.tags') },
        { label: t('fields.updated'), sortBy: 'updatedAt' },
        { width: 40, ariaLabel: t('actions.menu') },
      ]}
    >
      {contacts.map((c) => (
        <Table.Tr key={c.id} data-testid="contact-row" data-name={c.name}>
          <NameCell to={`/contacts/${c.id}`} name={c.name} testId="contact-link" />
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
          <UpdatedCell at={c.updatedAt} />
          <Table.Td>
            <RowMenu name={c.name} onEdit={() => onEdit(c)} onDelete={() => onDelete(c)} testId="contact" />
          </Table.Td>
        </Table.Tr>
      ))}
    </CrmTable>
  );
}
