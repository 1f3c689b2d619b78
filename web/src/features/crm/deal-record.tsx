import { EmailRecordButton, recordRequests } from '../compose/email-record-button.tsx';
import { Alert, Anchor, Button, Group, Menu, Text } from '@mantine/core';
import { IconArrowsRightLeft } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { DealFormModal } from './deal-form-modal.tsx';
import { DealStageBadge } from './deals-table.tsx';
import { StageMoveItems, useStageMove } from './pipeline-board.tsx';
import { RecordLayout, RecordPending, useRecordPage } from './record-page.tsx';
import { formatDate, formatMoney, useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import { useDealLinks } from './use-deal-links.ts';
import { usePeople } from './use-people.ts';
import { useStages } from './use-stages.ts';

/** /deals/:id — amount, stage, people, and the mail and activities around the deal. */
export function DealRecordPage() {
  const { t, i18n } = useCrmT();
  const { nameOf } = usePeople();
  const { stages } = useStages();
  const page = useRecordPage('deal', async (id) => (await crmApi.deal(id)).deal);
  const { links, record: deal } = page;
  const { company, contacts } = useDealLinks(deal);
  const { move, modal, error: moveError } = useStageMove(stages, (d) => page.setRecord(d));

  if (page.error || !deal) return <RecordPending page={page} />;

  return (
    <RecordLayout
      page={page}
      name={deal.name}
      actions={
        <>
          <EmailRecordButton request={() => recordRequests.deal(deal, contacts)} testId="deal-email-button" />
          <Menu position="bottom-end" width={200}>
            <Menu.Target>
              <Button variant="default" size="xs" leftSection={<IconArrowsRightLeft size={14} />} data-testid="deal-move-button">
                {t('deals.moveTo')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <StageMoveItems deal={deal} stages={stages} onMove={(stageId) => move(deal, stageId)} />
            </Menu.Dropdown>
          </Menu>
        </>
      }
      facts={[
        {
          label: t('fields.amount'),
          value: (
            <Text fw={600} size="sm" data-testid="deal-amount">
              {formatMoney(deal.amount, deal.currency, i18n.language)}
            </Text>
          ),
        },
        {
          label: t('fields.stage'),
          value: <DealStageBadge deal={deal} stages={stages} testId="deal-stage" />,
        },
        { label: t('fields.expectedClose'), value: formatDate(deal.expectedCloseDate, i18n.language) },
        {
          label: t('fields.company'),
          value: company ? (
            <Anchor component={Link} to={`/companies/${company.id}`} size="sm">
              {company.name}
            </Anchor>
          ) : (
            '—'
          ),
        },
        {
          label: t('fields.contacts'),
          value: contacts.length ? (
            <Group gap={6}>
              {contacts.map((c) => (
                <Anchor key={c.id} component={Link} to={`/contacts/${c.id}`} size="sm">
                  {c.name}
                </Anchor>
              ))}
            </Group>
          ) : (
            '—'
          ),
        },
        { label: t('fields.owner'), value: nameOf(deal.ownerId) },
      ]}
      tabs={{ timeline: <TimelinePanel record="deals" id={deal.id} />, activities: <ActivitiesPanel links={links} /> }}
      form={(props) => <DealFormModal deal={deal} stages={stages} onSaved={page.saved} {...props} />}
      remove={() => crmApi.deleteDeal(deal.id)}
    >
      <CrmErrorAlert error={moveError} testId="deal-move-error" />
      {deal.lostReason ? (
        <Alert color="red" variant="light" mb="md" title={t('fields.lostReason')} data-testid="deal-lost-reason">
          {deal.lostReason}
        </Alert>
      ) : null}
      {modal}
    </RecordLayout>
  );
}
