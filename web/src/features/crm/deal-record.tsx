import { Alert, Anchor, Badge, Button, Group, Loader, Menu, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsRightLeft, IconPencil, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useRecordQuery } from '../../api/use-record-query.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ActivitiesPanel } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { DealFormModal } from './deal-form-modal.tsx';
import { useStageMove } from './pipeline-board.tsx';
import { RecordHeader } from './record-header.tsx';
import { formatDate, formatMoney, stageLabel, useCrmT } from './text.ts';
import { TimelinePanel } from './timeline-panel.tsx';
import type { Contact } from './types.ts';
import { usePeople } from './use-people.ts';
import { useStages } from './use-stages.ts';

const NO_CONTACTS: Contact[] = [];

const STATUS_COLOR = { open: 'blue', won: 'teal', lost: 'red' } as const;

/** /deals/:id — amount, stage, people, and the mail and activities around the deal. */
export function DealRecordPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useCrmT();
  const { nameOf } = usePeople();
  const { stages } = useStages();
  const navigate = useNavigate();
  const { record: deal, error, setRecord: setDeal } = useRecordQuery(['deal', id], async () => (await crmApi.deal(id)).deal);
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
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const { move, modal, error: moveError } = useStageMove(stages, (d) => setDeal(d));

  const links = useMemo(() => ({ dealId: id }), [id]);

  if (error) return <CrmErrorAlert error={error} testId="deal-load-error" />;
  if (!deal)
    return (
      <Group justify="center" p="xl">
        <Loader size="sm" />
      </Group>
    );
  const stage = stages.find((s) => s.id === deal.stageId);

  return (
    <>
      <RecordHeader
        testId="deal-header"
        back={{ to: '/deals', label: t('deals.title') }}
        name={deal.name}
        actions={
          <>
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
            <Button
              variant="default"
              size="xs"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing(true)}
              data-testid="deal-edit-button"
            >
              {t('actions.edit')}
            </Button>
            <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(true)}>
              {t('actions.delete')}
            </Button>
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
      <Tabs defaultValue="timeline" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="timeline" data-testid="tab-timeline">
            {t('tabs.timeline')}
          </Tabs.Tab>
          <Tabs.Tab value="activities" data-testid="tab-activities">
            {t('tabs.activities')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline">
          <TimelinePanel record="deals" id={deal.id} />
        </Tabs.Panel>
        <Tabs.Panel value="activities">
          <ActivitiesPanel links={links} />
        </Tabs.Panel>
      </Tabs>
      {modal}
      <DealFormModal
        opened={editing}
        deal={deal}
        stages={stages}
        onClose={() => setEditing(false)}
        onSaved={(d) => {
          setEditing(false);
          setDeal(d);
          notifications.show({ color: 'teal', message: t('saved') });
        }}
      />
      <ConfirmModal
        opened={deleting}
        title={t('deals.deleteTitle', { name: deal.name })}
        body={t('deals.deleteBody')}
        confirmLabel={t('actions.delete')}
        onConfirm={async () => {
          await crmApi.deleteDeal(deal.id);
          navigate('/deals');
        }}
        onClose={() => setDeleting(false)}
        testId="deal-delete-modal"
      />
    </>
  );
}
