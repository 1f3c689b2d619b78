import { Alert, Badge, Button, Group, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useRecordQuery } from '../../api/use-record-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { LoadingBlock, RowDangerButton } from '../../components/data-table.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { RECORD_KINDS, type RecordKind, type RecordLinks } from './record-kinds.ts';
import { RecordHeader } from './record-header.tsx';
import { useCrmT } from './text.ts';

/**
 * The state every record page keeps: the record of the `:id` in the path, what its tabs filter by, and
 * whether its edit or delete dialog is open. `saved` closes the edit dialog and shows the server's answer.
 */
export function useRecordPage<T>(one: RecordKind['one'], fetchOne: (id: string) => Promise<T>) {
  const { id = '' } = useParams();
  const { t } = useCrmT();
  const { record, error, setRecord } = useRecordQuery([one, id], () => fetchOne(id));
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const saved = (next: T) => {
    setEditing(false);
    setRecord(next);
    notifications.show({ color: 'teal', message: t('saved') });
  };
  const { link } = RECORD_KINDS[one];
  const links: RecordLinks = useMemo(() => ({ [link]: id }), [link, id]);
  return { ...RECORD_KINDS[one], id, links, record, error, setRecord, editing, setEditing, deleting, setDeleting, saved };
}

/** What a record page shows until its record is there: the load error, or a spinner. */
export function RecordPending({ page: { one, error } }: { page: { one: RecordKind['one']; error: unknown } }) {
  const { t } = useCrmT();
  if (!error) return <LoadingBlock />;
  // Without its record the page is still a page of its kind: its heading says which (a record not found).
  return (
    <>
      <PageHeader title={t(`${RECORD_KINDS[one].kind}.title`)} />
      <CrmErrorAlert error={error} testId={`${one}-load-error`} />
    </>
  );
}

/** The record header's edit and delete buttons, after any actions of the kind's own. */
function RecordActions({
  one,
  onEdit,
  onDelete,
  children,
}: {
  one: RecordKind['one'];
  onEdit(): void;
  onDelete(): void;
  children?: ReactNode;
}) {
  const { t } = useCrmT();
  return (
    <>
      {children}
      <Button variant="default" size="xs" leftSection={<IconPencil size={14} />} onClick={onEdit} data-testid={`${one}-edit-button`}>
        {t('actions.edit')}
      </Button>
      <RowDangerButton icon={IconTrash} size="xs" onClick={onDelete} testId={`${one}-delete-button`}>
        {t('actions.delete')}
      </RowDangerButton>
    </>
  );
}

/** A record's notes, kept as typed (line breaks included); nothing when there are none. */
export function RecordNotes({ notes }: { notes: string | null }) {
  const { t } = useCrmT();
  if (!notes) return null;
  return (
    <Alert variant="light" color="gray" mb="md" title={t('fields.notes')}>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {notes}
      </Text>
    </Alert>
  );
}

/** A record page's tabs in the order shown, each with its panel. */
type RecordTabs = Partial<Record<'contacts' | 'timeline' | 'activities' | 'deals' | 'purchases', ReactNode>>;

/** The tabs under a record's header, labelled `tabs.<key>`; the first is open, and only the open one is mounted. */
function RecordTabs({ tabs }: { tabs: RecordTabs }) {
  const { t } = useCrmT();
  const entries = Object.entries(tabs) as Array<[keyof RecordTabs, ReactNode]>;
  return (
    <Tabs defaultValue={entries[0]?.[0]} keepMounted={false}>
      <Tabs.List mb="sm">
        {entries.map(([value]) => (
          <Tabs.Tab key={value} value={value} data-testid={`tab-${value}`}>
            {t(`tabs.${value}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {entries.map(([value, panel]) => (
        <Tabs.Panel key={value} value={value}>
          {panel}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

interface RecordLayoutProps {
  page: Pick<ReturnType<typeof useRecordPage<unknown>>, 'kind' | 'one' | 'editing' | 'setEditing' | 'deleting' | 'setDeleting'>;
  name: string;
  facts: Array<{ label: string; value: ReactNode }>;
  /** Actions of the kind's own, before edit and delete. */
  actions?: ReactNode;
  /** What stands between the header and the tabs (notes, a lost reason). */
  children?: ReactNode;
  tabs: RecordTabs;
  /** The kind's edit dialog, given whether it is open and how it closes. */
  form(props: { opened: boolean; onClose(): void }): ReactNode;
  remove(): Promise<unknown>;
}

/** A record page: header with back link, facts and actions, then tabs, and the edit and delete dialogs. */
export function RecordLayout({ page, name, facts, actions, children, tabs, form, remove }: RecordLayoutProps) {
  const { t } = useCrmT();
  const { kind, one } = page;
  return (
    <>
      <RecordHeader
        testId={`${one}-header`}
        back={{ to: `/${kind}`, label: t(`${kind}.title`) }}
        name={name}
        actions={
          <RecordActions one={one} onEdit={() => page.setEditing(true)} onDelete={() => page.setDeleting(true)}>
            {actions}
          </RecordActions>
        }
        facts={facts}
      />
      {children}
      <RecordTabs tabs={tabs} />
      {form({ opened: page.editing, onClose: () => page.setEditing(false) })}
      <DeleteRecordModal kind={kind} one={one} name={name} opened={page.deleting} onClose={() => page.setDeleting(false)} remove={remove} />
    </>
  );
}

/** Asks before deleting the record, and goes back to its list once it is gone. */
function DeleteRecordModal({
  kind,
  one,
  name,
  opened,
  onClose,
  remove,
}: Omit<RecordKind, 'link'> & { name: string; opened: boolean; onClose(): void; remove(): Promise<unknown> }) {
  const { t } = useCrmT();
  const navigate = useNavigate();
  return (
    <ConfirmModal
      opened={opened}
      title={t(`${kind}.deleteTitle`, { name })}
      body={t(`${kind}.deleteBody`)}
      confirmLabel={t('actions.delete')}
      onConfirm={async () => {
        await remove();
        navigate(`/${kind}`);
      }}
      onClose={onClose}
      testId={`${one}-delete-modal`}
    />
  );
}

/** Labels as small badges in a row (a company's domains, a contact's tags). */
export function BadgeList({
  items,
  size = 'xs',
  variant = 'light',
}: {
  items: string[];
  size?: 'xs' | 'sm';
  variant?: 'light' | 'outline';
}) {
  return (
    <Group gap={4}>
      {items.map((item) => (
        <Badge key={item} size={size} variant={variant} tt={variant === 'outline' ? 'none' : undefined}>
          {item}
        </Badge>
      ))}
    </Group>
  );
}
