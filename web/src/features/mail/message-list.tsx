import { ActionIcon, Box, Button, Center, Group, ScrollArea, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconPaperclip, IconStar, IconStarFilled } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { RowLabels } from './label-tags.tsx';
import { MESSAGE_LIST_ATTRIBUTE } from './shortcuts.tsx';
import { addressLabel, shortDate, useMailT } from './text.ts';
import type { MessageSummary } from './types.ts';
import { LoadingBlock } from '../../components/data-table.tsx';

interface MessageListProps {
  items: MessageSummary[];
  selectedId: string | null;
  openId: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  filtered: boolean;
  canChange(message: MessageSummary): boolean;
  onOpen(message: MessageSummary): void;
  onStar(message: MessageSummary): void;
  onLoadMore(): void;
  /** Grows each time the keyboard moves the cursor: the focus then follows it into the list. */
  focusTick: number;
}

/** One line per message: sender, subject and snippet, date; unread in bold; star and attachment marks. */
export function MessageList({
  items,
  selectedId,
  openId,
  hasMore,
  loadingMore,
  filtered,
  canChange,
  onOpen,
  onStar,
  onLoadMore,
  focusTick,
}: MessageListProps) {
  const { t, i18n } = useMailT();
  const sentinel = useRef<HTMLDivElement | null>(null);
  const viewport = useRef<HTMLDivElement | null>(null);

  // Infinite scroll: the "load more" button doubles as the sentinel that loads the next page when seen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: items.length re-arms the observer after a page arrives, so a sentinel still in view loads the next one
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onLoadMore();
      },
      { root: viewport.current, rootMargin: '200px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore, items.length]);

  // The keyboard cursor stays in view, and the focus goes with it when the keyboard moved it, when the
  // focus was already in the list, or when it was lost (the focused row left the list: archived, deleted).
  const tickSeen = useRef(focusTick);
  useEffect(() => {
    const moved = tickSeen.current !== focusTick;
    tickSeen.current = focusTick;
    if (!selectedId) return;
    const row = viewport.current?.querySelector(`[data-message-id="${selectedId}"]`);
    row?.scrollIntoView({ block: 'nearest' });
    const button = row?.querySelector<HTMLElement>('[data-testid="row-open"]');
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (button && button !== active && (moved || lost || viewport.current?.contains(active))) button.focus({ preventScroll: true });
  }, [selectedId, focusTick]);

  if (!items.length) {
    return (
      <Center h="100%" p="lg" data-testid="message-list-empty">
        <Text c="dimmed" size="sm">
          {filtered ? t('list.emptyFiltered') : t('list.empty')}
        </Text>
      </Center>
    );
  }

  return (
    <ScrollArea h="100%" type="auto" viewportRef={viewport}>
      {/* A list, not a listbox: each row holds its own buttons (star, open), which options may not. */}
      <Box role="list" aria-label={t('list.label')} data-testid="message-list" {...{ [MESSAGE_LIST_ATTRIBUTE]: true }}>
        {items.map((m) => {
          const sender = m.from[0] ? addressLabel(m.from[0]) : t('list.unknownSender');
          const subject = m.access === 'metadata' ? t('list.hiddenSubject') : m.subject?.trim() || t('list.noSubject');
          const selected = m.id === selectedId;
          const open = m.id === openId;
          return (
            <Box
              key={m.id}
              role="listitem"
              aria-current={selected || undefined}
              data-testid="message-row"
              data-message-id={m.id}
              data-unread={!m.seen}
              data-flagged={m.flagged}
              data-selected={selected}
              px="sm"
              py={8}
              style={{
                borderBottom: '1px solid var(--mantine-color-gray-2)',
                borderLeft: `3px solid ${selected ? 'var(--mantine-color-blue-6)' : 'transparent'}`,
                background: open ? 'var(--mantine-color-blue-0)' : m.seen ? 'var(--mantine-color-white)' : 'var(--mantine-color-gray-0)',
                cursor: 'pointer',
              }}
            >
              <Group gap={6} wrap="nowrap" align="flex-start">
                <Tooltip label={m.flagged ? t('actions.unstar') : t('actions.star')} openDelay={500}>
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    color={m.flagged ? 'yellow' : 'gray'}
                    disabled={!canChange(m)}
                    onClick={() => onStar(m)}
                    aria-label={m.flagged ? t('actions.unstar') : t('actions.star')}
                    aria-pressed={m.flagged}
                    data-testid="row-star"
                  >
                    {m.flagged ? <IconStarFilled size={15} /> : <IconStar size={15} />}
                  </ActionIcon>
                </Tooltip>
                <UnstyledButton onClick={() => onOpen(m)} style={{ flex: 1, minWidth: 0 }} data-testid="row-open">
                  <Stack gap={1}>
                    <Group gap={6} wrap="nowrap" justify="space-between">
                      <Text size="sm" fw={m.seen ? 400 : 700} truncate="end" data-testid="row-sender">
                        {sender}
                      </Text>
                      <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                        {m.hasAttachments ? (
                          <IconPaperclip size={14} aria-label={t('list.attachment')} data-testid="row-attachment" />
                        ) : null}
                        <Text size="xs" c="dimmed" data-testid="row-date">
                          {shortDate(m.date, i18n.language)}
                        </Text>
                      </Group>
                    </Group>
                    <Text size="sm" fw={m.seen ? 400 : 700} truncate="end" data-testid="row-subject">
                      {subject}
                    </Text>
                    <RowLabels labels={m.labels} />
                    {m.snippet ? (
                      <Text size="xs" c="dimmed" truncate="end" data-testid="row-snippet">
                        {m.snippet}
                      </Text>
                    ) : null}
                  </Stack>
                </UnstyledButton>
              </Group>
            </Box>
          );
        })}
        {hasMore ? (
          <Center p="sm" ref={sentinel}>
            <Button variant="subtle" size="xs" onClick={onLoadMore} loading={loadingMore} data-testid="message-list-more">
              {t('list.loadMore')}
            </Button>
          </Center>
        ) : null}
        {loadingMore && !hasMore ? <LoadingBlock p="sm" size="xs" /> : null}
      </Box>
    </ScrollArea>
  );
}
