import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { RowMenu } from './row-menu.tsx';
import { SortHeader } from './sort-header.tsx';
import { formatDate, useCrmT } from './text.ts';
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
  const { t, i18n } = useCrmT();
  return (
    <Table.ScrollContainer minWidth={860} type="native">
      <Table verticalSpacing={6} fz="sm" highlightOnHover data-testid="contacts-table">
        <Table.Thead>
          <Table.Tr>
            <SortHeader field="name" sort={sort} onSort={onSort}>
              {t('fields.name')}
            </SortHeader>
            <Table.Th>{t('fields.primaryEmail')}</Table.Th>
            {hideCompany ? null : <Table.Th>{t('fields.company')}</Table.Th>}
            <Table.Th>{t('fields.title')}</Table.Th>
            <Table.Th>{t('fields.owner')}</Table.Th>
            <Table.Th>{t('fields.tags')}</Table.Th>
            <SortHeader field="updatedAt" sort={sort} onSort={onSort}>
              {t('fields.updated')}
            </SortHeader>
            <Table.Th w={40} aria-label={t('actions.menu')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.map((c) => (
            <Table.Tr key={c.id} data-testid="contact-row" data-name={c.name}>
              <Table.Td>
                <Anchor component={Link} to={`/contacts/${c.id}`} fw={500} size="sm" data-testid="contact-link">
                  {c.name}
                </Anchor>
              </Table.Td>
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
                <Group gap={4}>
                  {c.tags.map((tag) => (
                    <Badge key={tag} size="xs" variant="light">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {formatDate(c.updatedAt, i18n.language)}
                </Text>
              </Table.Td>
              <Table.Td>
                <RowMenu name={c.name} onEdit={() => onEdit(c)} onDelete={() => onDelete(c)} testId="contact" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
