import { Badge, Group, Table, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTemplate, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useListQuery } from '../../api/use-list-query.ts';
import { ListPage } from '../../components/list-card.tsx';
import { ConfirmItemModal } from '../../components/confirm-modal.tsx';
import { useItemDialog } from '../../components/use-item-dialog.ts';
import { RowDangerButton } from '../../components/data-table.tsx';
import { formatDateTime } from '../../components/format.ts';
import { templatesApi } from '../../features/compose/api.ts';
import { useComposeT } from '../../features/compose/text.ts';
import type { Template } from '../../features/compose/types.ts';
import { TemplateFormModal } from '../../features/templates/template-form-modal.tsx';

/** Settings › Templates: the user's own templates and the shared ones; admins share. */
export function TemplatesPage() {
  const { t, i18n } = useComposeT();
  const { t: tc } = useTranslation();
  const list = useListQuery<Template>(['templates'], templatesApi.list);
  const [editing, setEditing] = useState<Template | null | undefined>(undefined);
  const deleting = useItemDialog<Template>();

  const row = (tpl: Template) => (
    <Table.Tr key={tpl.id} data-testid="templates-row" data-name={tpl.name}>
      <Table.Td fw={500}>
        {tpl.editable ? (
          <UnstyledButton onClick={() => setEditing(tpl)} fw={500} fz="sm" td="underline" data-testid="templates-edit">
            {tpl.name}
          </UnstyledButton>
        ) : (
          tpl.name
        )}
      </Table.Td>
      <Table.Td>{tc(`language.${tpl.language}`)}</Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={tpl.shared ? 'blue' : 'gray'}>
          {tpl.shared ? t('templates.shared') : t('templates.personal')}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {tpl.fields.map((f) => (
            <Badge key={f} size="xs" variant="outline" tt="none">
              {f}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td c="dimmed">{formatDateTime(tpl.updatedAt, i18n.language, '')}</Table.Td>
      <Table.Td ta="right">
        {tpl.editable ? (
          <RowDangerButton icon={IconTrash} onClick={() => deleting.open(tpl)} testId="templates-delete">
            {t('templateSettings.delete')}
          </RowDangerButton>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );

  return (
    <>
      <ListPage
        title={t('templateSettings.title')}
        subtitle={t('templateSettings.subtitle')}
        create={{ label: t('templateSettings.create'), onClick: () => setEditing(null) }}
        list={list}
        empty={{ icon: IconTemplate, title: t('templateSettings.empty') }}
        testId="templates"
        row={row}
        minWidth={720}
        columns={[
          t('templateSettings.name'),
          t('templateSettings.language'),
          t('templateSettings.kind'),
          t('templateSettings.fields'),
          t('templateSettings.updated'),
        ]}
        actions={{ label: tc('common.actions'), width: 120 }}
      />
      <TemplateFormModal
        template={editing}
        onClose={() => setEditing(undefined)}
        onSaved={(tpl) => {
          setEditing(undefined);
          list.upsert(tpl);
          notifications.show({ color: 'teal', message: t('templateSettings.saved') });
        }}
      />
      <ConfirmItemModal
        dialog={deleting}
        title={(tpl) => t('templateSettings.deleteTitle', { name: tpl.name })}
        body={t('templateSettings.deleteBody')}
        confirmLabel={t('templateSettings.delete')}
        onConfirm={async (tpl) => {
          await templatesApi.remove(tpl.id);
          list.remove(tpl.id);
        }}
        testId="template-delete-modal"
      />
    </>
  );
}
