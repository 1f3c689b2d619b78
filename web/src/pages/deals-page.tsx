import { Button, Group, Select } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLayoutKanban, IconSettings, IconTable } from '@tabler/icons-react';
import { useState } from 'react';
import { ChoiceControl, IconLabel } from '../components/choice-control.tsx';
import { CreateButton, PageHeader } from '../components/page-header.tsx';
import { crmApi } from '../features/crm/api.ts';
import { CrmErrorAlert } from '../features/crm/crm-error-alert.tsx';
import { ListBody, SearchFilter, useRecordList } from '../features/crm/crm-list-page.tsx';
import { DealFormModal } from '../features/crm/deal-form-modal.tsx';
import { DealsTable } from '../features/crm/deals-table.tsx';
import { PipelineBoard } from '../features/crm/pipeline-board.tsx';
import { StagesModal } from '../features/crm/stages-modal.tsx';
import { useCrmT } from '../features/crm/text.ts';
import { usePeople } from '../features/crm/use-people.ts';
import { useStages } from '../features/crm/use-stages.ts';
import { useCurrentUser } from '../session/session-context.tsx';

function DealsList() {
  const { t } = useCrmT();
  const { stages } = useStages();
  const { nameOf } = usePeople();
  const [status, setStatus] = useState<string | null>(null);
  const { search, setSearch, sort, setSort, list } = useRecordList('deals', crmApi.deals, {
    defaultSort: '-updatedAt',
    filters: { status },
  });
  return (
    <>
      <Group gap="xs" mb="sm">
        <SearchFilter kind="deals" value={search} onChange={setSearch} />
        <Select
          placeholder={t('filters.status')}
          data={(['open', 'won', 'lost'] as const).map((s) => ({ value: s, label: t(`stages.kinds.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
          w={150}
          aria-label={t('filters.status')}
        />
      </Group>
      <CrmErrorAlert error={list.error} testId="deals-error" />
      <ListBody list={list} kind="deals" empty={t('deals.empty')}>
        {(items) => <DealsTable rows={items} stages={stages} ownerName={nameOf} sort={sort} onSort={setSort} />}
      </ListBody>
    </>
  );
}

export function DealsPage() {
  const { t } = useCrmT();
  const me = useCurrentUser();
  const { stages, error, setStages } = useStages();
  const [view, setView] = useState<'board' | 'table'>('board');
  const [creating, setCreating] = useState(false);
  const [editingStages, setEditingStages] = useState(false);
  const [refresh, setRefresh] = useState(0);

  return (
    <>
      <PageHeader
        title={t('deals.title')}
        subtitle={t('deals.subtitle')}
        actions={
          <>
            <ChoiceControl
              value={view}
              onChange={setView}
              options={{
                board: <IconLabel icon={IconLayoutKanban}>{t('deals.board')}</IconLabel>,
                table: <IconLabel icon={IconTable}>{t('deals.table')}</IconLabel>,
              }}
              testId="deals-view"
            />
            {me.role === 'admin' ? (
              <Button
                variant="default"
                leftSection={<IconSettings size={16} />}
                onClick={() => setEditingStages(true)}
                data-testid="stages-edit"
              >
                {t('stages.edit')}
              </Button>
            ) : null}
            <CreateButton label={t('deals.create')} onClick={() => setCreating(true)} testId="deals-create" />
          </>
        }
      />
      <CrmErrorAlert error={error} testId="stages-load-error" />
      {view === 'board' ? <PipelineBoard stages={stages} refreshKey={refresh} /> : <DealsList key={refresh} />}
      <DealFormModal
        opened={creating}
        deal={null}
        stages={stages}
        onClose={() => setCreating(false)}
        onSaved={(deal) => {
          setCreating(false);
          setRefresh((n) => n + 1);
          notifications.show({ color: 'teal', message: t('deals.created', { name: deal.name }) });
        }}
      />
      <StagesModal
        opened={editingStages}
        stages={stages}
        onClose={() => {
          setEditingStages(false);
          setRefresh((n) => n + 1);
        }}
        onChanged={setStages}
      />
    </>
  );
}
