import { crmApi } from './api.ts';
import { DealFormModal } from './deal-form-modal.tsx';
import { DealsTable } from './deals-table.tsx';
import { AddButton, TableCard, RecordPanel, usePanelRows } from './record-panel.tsx';
import { useCrmT } from './text.ts';
import { usePeople } from './use-people.ts';
import { useStages } from './use-stages.ts';

type Option = { value: string; label: string };

/** The deals of a company or a contact, with a button that creates one already linked. */
export function DealsPanel({
  filter,
  company,
  contacts,
}: {
  filter: { companyId?: string; contactId?: string };
  company?: Option;
  contacts?: Option[];
}) {
  const { t } = useCrmT();
  const { stages } = useStages();
  const { nameOf } = usePeople();
  const { list, error, adding, setAdding, added } = usePanelRows(
    ['deals', filter],
    (cursor) => crmApi.deals({ ...filter, cursor, limit: 50 }),
    false,
  );
  return (
    <RecordPanel
      testId="deals-panel"
      error={error}
      errorTestId="deals-panel-error"
      actions={<AddButton label={t('deals.create')} onClick={() => setAdding(true)} testId="deal-add" />}
    >
      <TableCard list={list} empty={t('deals.empty')} moreTestId="deals-panel-more">
        {(deals) => <DealsTable rows={deals} stages={stages} ownerName={nameOf} />}
      </TableCard>
      <DealFormModal
        opened={adding}
        deal={null}
        stages={stages}
        company={company ?? null}
        contacts={contacts ?? []}
        onClose={() => setAdding(false)}
        onSaved={added}
      />
    </RecordPanel>
  );
}
