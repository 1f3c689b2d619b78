import { ActionIcon, Anchor, Badge, Box, Button, Group, Menu, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsRightLeft, IconDots } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { crmApi } from './api.ts';
import { useRequest } from '../../components/use-request.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { LostReasonModal } from './lost-reason-modal.tsx';
import { totalsByCurrency } from './money.ts';
import { formatDate, formatMoney, stageLabel, useCrmT } from './text.ts';
import type { Deal, Stage } from './types.ts';

interface Column {
  items: Deal[];
  cursor: string | null;
}

const KIND_COLOR = { open: 'blue', won: 'teal', lost: 'red' } as const;
const PAGE = 50;

/** Moves a deal to a stage; a lost stage first asks for the reason. Shared by the board and the deal page. */
export function useStageMove(stages: Stage[], onMoved: (deal: Deal, from: string) => void) {
  const { t, i18n } = useCrmT();
  const [pendingLost, setPendingLost] = useState<{ deal: Deal; stageId: string } | null>(null);
  const { error, run } = useRequest();

  const apply = (deal: Deal, stageId: string, lostReason?: string) =>
    run(async () => {
      const moved = (await crmApi.updateDeal(deal.id, { stageId, ...(lostReason && { lostReason }) })).deal;
      onMoved(moved, deal.stageId);
      const stage = stages.find((s) => s.id === stageId);
      notifications.show({
        color: 'teal',
        message: t('deals.moved', { name: deal.name, stage: stage ? stageLabel(stage.name, i18n.language) : '' }),
      });
    });

  function move(deal: Deal, stageId: string) {
    if (deal.stageId === stageId) return;
    if (stages.find((s) => s.id === stageId)?.kind === 'lost') setPendingLost({ deal, stageId });
    else void apply(deal, stageId);
  }

  const modal = (
    <LostReasonModal
      opened={pendingLost !== null}
      onCancel={() => setPendingLost(null)}
      onConfirm={async (reason) => {
        if (!pendingLost) return;
        await apply(pendingLost.deal, pendingLost.stageId, reason);
        setPendingLost(null);
      }}
    />
  );
  return { move, modal, error };
}

/** A Move-to menu's items: every stage but the deal's own, by name in the reader's language. */
export function StageMoveItems({
  deal,
  stages,
  onMove,
  withIcon,
}: {
  deal: Deal;
  stages: Stage[];
  onMove(stageId: string): void;
  withIcon?: boolean;
}) {
  const { i18n } = useCrmT();
  return stages
    .filter((s) => s.id !== deal.stageId)
    .map((s) => (
      <Menu.Item
        key={s.id}
        leftSection={withIcon ? <IconArrowsRightLeft size={14} /> : undefined}
        onClick={() => onMove(s.id)}
        data-testid="deal-move-to"
        data-stage={s.name.en ?? s.name['zh-CN']}
      >
        {stageLabel(s.name, i18n.language)}
      </Menu.Item>
    ));
}

function MoveMenu({ deal, stages, onMove }: { deal: Deal; stages: Stage[]; onMove(stageId: string): void }) {
  const { t } = useCrmT();
  return (
    <Menu position="bottom-end" width={200}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('deals.moveTo')} data-testid="deal-card-menu">
          <IconDots size={14} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('deals.moveTo')}</Menu.Label>
        <StageMoveItems deal={deal} stages={stages} onMove={onMove} withIcon />
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * Columns per stage with count and amount; drag a card onto another column (native drag and drop, no
 * library) or use its Move-to menu, which also works by keyboard.
 */
const NO_COLUMNS: Record<string, Column> = {};

export function PipelineBoard({ stages, refreshKey }: { stages: Stage[]; refreshKey: number }) {
  const { t, i18n } = useCrmT();
  const client = useQueryClient();
  // The first page of every column; `refreshKey` asks for them again (after the stages were edited).
  const boardKey = ['pipeline-board', stages.map((s) => s.id), refreshKey];
  const board = useQuery({
    queryKey: boardKey,
    queryFn: async (): Promise<Record<string, Column>> => {
      const pages = await Promise.all(stages.map((s) => crmApi.deals({ stageId: s.id, sort: '-updatedAt', limit: PAGE })));
      return Object.fromEntries(stages.map((s, i) => [s.id, { items: pages[i]!.items, cursor: pages[i]!.nextCursor }]));
    },
    placeholderData: keepPreviousData,
  });
  const columns = board.data ?? NO_COLUMNS;
  const loadError = board.error;
  const setColumns = (update: (cols: Record<string, Column>) => Record<string, Column>) =>
    client.setQueryData<Record<string, Column>>(boardKey, (cols) => update(cols ?? NO_COLUMNS));
  const [dragOver, setDragOver] = useState<string | null>(null);
  // Also kept here: some drag sources (a link inside the card) replace the drag data with their own.
  const dragging = useRef<string | null>(null);

  const { move, modal, error } = useStageMove(stages, (deal, from) => {
    setColumns((cols) => ({
      ...cols,
      [from]: { ...cols[from]!, items: (cols[from]?.items ?? []).filter((d) => d.id !== deal.id) },
      [deal.stageId]: { cursor: cols[deal.stageId]?.cursor ?? null, items: [deal, ...(cols[deal.stageId]?.items ?? [])] },
    }));
  });

  async function more(stageId: string) {
    const col = columns[stageId];
    if (!col?.cursor) return;
    const page = await crmApi.deals({ stageId, sort: '-updatedAt', limit: PAGE, cursor: col.cursor });
    setColumns((cols) => ({ ...cols, [stageId]: { items: [...(cols[stageId]?.items ?? []), ...page.items], cursor: page.nextCursor } }));
  }

  const find = (id: string) =>
    Object.values(columns)
      .flatMap((c) => c.items)
      .find((d) => d.id === id);

  return (
    <>
      <CrmErrorAlert error={loadError ?? error} testId="board-error" />
      <ScrollArea type="auto" offsetScrollbars>
        <Group align="flex-start" wrap="nowrap" gap="sm" data-testid="pipeline-board" pb="sm">
          {stages.map((s) => {
            const col = columns[s.id] ?? { items: [], cursor: null };
            const totals = totalsByCurrency(col.items);
            return (
              <Paper
                key={s.id}
                withBorder
                w={260}
                miw={260}
                p="xs"
                bg={dragOver === s.id ? 'blue.0' : 'gray.1'}
                data-testid="board-column"
                data-stage={s.name.en ?? s.name['zh-CN']}
                onDragOver={(e) => {
                  e.preventDefault();
                  setDragOver(s.id);
                }}
                onDragLeave={() => setDragOver((v) => (v === s.id ? null : v))}
                onDrop={(e) => {
                  e.preventDefault();
                  setDragOver(null);
                  const deal = find(e.dataTransfer.getData('text/x-tidings-deal') || dragging.current || '');
                  dragging.current = null;
                  if (deal) move(deal, s.id);
                }}
              >
                <Stack gap={4} mb="xs">
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={600} size="sm">
                      {stageLabel(s.name, i18n.language)}
                    </Text>
                    <Badge size="sm" variant="light" color={KIND_COLOR[s.kind]} data-testid="board-column-count">
                      {col.cursor ? `${col.items.length}+` : col.items.length}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed" data-testid="board-column-total">
                    {totals.length
                      ? totals.map((x) => formatMoney(x.amount, x.currency, i18n.language)).join(' · ')
                      : formatMoney('0', 'CNY', i18n.language)}
                  </Text>
                </Stack>
                <Stack gap={6} mih={60}>
                  {col.items.map((d) => (
                    <Paper
                      key={d.id}
                      withBorder
                      p={8}
                      draggable
                      onDragStart={(e) => {
                        dragging.current = d.id;
                        e.dataTransfer.setData('text/x-tidings-deal', d.id);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      style={{ cursor: 'grab' }}
                      data-testid="deal-card"
                      data-name={d.name}
                    >
                      <Group justify="space-between" wrap="nowrap" align="flex-start" gap={4}>
                        <Anchor component={Link} to={`/deals/${d.id}`} size="sm" fw={500} lineClamp={2}>
                          {d.name}
                        </Anchor>
                        <MoveMenu deal={d} stages={stages} onMove={(id) => move(d, id)} />
                      </Group>
                      <Group justify="space-between" gap={4}>
                        <Text size="xs" fw={500}>
                          {formatMoney(d.amount, d.currency, i18n.language)}
                        </Text>
                        {d.expectedCloseDate ? (
                          <Text size="xs" c="dimmed">
                            {formatDate(d.expectedCloseDate, i18n.language)}
                          </Text>
                        ) : null}
                      </Group>
                      {d.lostReason ? (
                        <Text size="xs" c="red" lineClamp={2}>
                          {d.lostReason}
                        </Text>
                      ) : null}
                    </Paper>
                  ))}
                  {col.cursor ? (
                    <Button size="compact-xs" variant="subtle" onClick={() => void more(s.id)}>
                      {t('actions.loadMore')}
                    </Button>
                  ) : null}
                  {col.items.length === 0 ? <Box h={40} /> : null}
                </Stack>
              </Paper>
            );
          })}
        </Group>
      </ScrollArea>
      {modal}
    </>
  );
}
