import { Alert, Anchor, Badge, Button, Group, Menu, Text } from '@mantine/core';
import { IconArrowsRightLeft } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { DealFormModal } from './deal-form-modal.tsx';
import { useStageMove } from './pipeline-board.tsx';
import { RecordHeader } from './record-header.tsx';
import { DeleteRecordModal, RecordActions, RecordPending, RecordTabs, useRecordPage } from './record-page.tsx';
import { formatDate, formatMoney, stageLabel, useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import type { Contact } from './types.ts';
import { usePeople } from './use-people.ts';
import { useStages } from './use-stages.ts';

const NO_CONTACTS: Contact[] = [];

const STATUS_COLOR = { open: 'blue', won: 'teal', lost: 'red' } as const;

/** /deals/:id — amount, stage, people, and the mail and activities around the deal. */
export function DealRecordPage() {
  const { t, i18n } = useCrmT();
  const { nameOf } = usePeople();
  const { stages } = useStages();
  const page = useRecordPage('deal', async (id) => (await crmApi.deal(id)).deal);
  const { id, record: deal } = page;
  // The names of the deal's company and people; the deal reads well without them.
  const { data: company = null } = useQuery({
    queryKey: ['company', deal?.companyId],
    queryFn: async () => (await crmApi.company(deal!.companyId!)).company,
    enabled: Boolean(deal?.companyId),
  });
  const { data: contacts = NO_CONTACTS } = useQuery({
    queryKey: ['deal-contacts', deal?.contactIds],
    queryFn: () => Promise.all(deal!.contactIds.map(async (c) => (await crmApi.contact(c)).contact)),
    enabled: Boolean(deal),
  });
  const { move, modal, error: moveError } = useStageMove(stages, (d) => page.setRecord(d));

  const links = useMemo(() => ({ dealId: id }), [id]);

  if (page.error || !deal) return <RecordPending one="deal" error={page.error} />;
  const stage = stages.find((s) => s.id === deal.stageId);

  return (
    <>
      <RecordHeader
        testId="deal-header"
        back={{ to: '/deals', label: t('deals.title') }}
        name={deal.name}
        actions={
          <RecordActions one="deal" onEdit={() => page.setEditing(true)} onDelete={() => page.setDeleting(true)}>
            <Menu position="bottom-end" width={200}>
              <Menu.Target>
                <Button variant="default" size="xs" leftSection={<IconArrowsRightLeft size={14} />} data-testid="deal-move-button">
                  {t('deals.moveTo')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {stages
                  .filter((s) => s.id !== deal.stageId)
                  .map((s) => (
                    <Menu.Item
                      key={s.id}
                      onClick={() => move(deal, s.id)}
                      data-testid="deal-move-to"
                      data-stage={s.name.en ?? s.name['zh-CN']}
                    >
                      {stageLabel(s.name, i18n.language)}
                    </Menu.Item>
                  ))}
              </Menu.Dropdown>
            </Menu>
          </RecordActions>
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
            value: (
              <Badge variant="light" color={STATUS_COLOR[deal.status]} data-testid="deal-stage">
                {stage ? stageLabel(stage.name, i18n.language) : '—'}
              </Badge>
            ),
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
      />
      <CrmErrorAlert error={moveError} testId="deal-move-error" />
      {deal.lostReason ? (
        <Alert color="red" variant="light" mb="md" title={t('fields.lostReason')} data-testid="deal-lost-reason">
          {deal.lostReason}
        </Alert>
      ) : null}
      <RecordTabs
        tabs={[
          { value: 'timeline', label: t('tabs.timeline'), panel: <TimelinePanel record="deals" id={deal.id} /> },
          { value: 'activities', label: t('tabs.activities'), panel: <ActivitiesPanel links={links} /> },
        ]}
      />
      {modal}
      <DealFormModal opened={page.editing} deal={deal} stages={stages} onClose={() => page.setEditing(false)} onSaved={page.saved} />
      <DeleteRecordModal
        kind="deals"
        one="deal"
        name={deal.name}
        opened={page.deleting}
        onClose={() => page.setDeleting(false)}
        remove={() => crmApi.deleteDeal(deal.id)}
      />
    </>
  );
}
