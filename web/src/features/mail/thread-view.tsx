import { Center, Group, Loader, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { mailApi } from './api.ts';
import { MessageCard } from './message-card.tsx';
import { useMailT } from './text.ts';
import type { MessageDetail } from './types.ts';

const byDate = (a: MessageDetail, b: MessageDetail) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id);

/** The opened message's thread, oldest first; the opened one, unread ones and short threads expanded. */
async function loadThread(openId: string): Promise<MessageDetail[]> {
  const opened = await mailApi.get(openId);
  if (!opened.threadId) return [opened];
  const { items } = await mailApi.thread(opened.threadId);
  const others = await Promise.all(items.filter((m) => m.id !== openId).map((m) => mailApi.get(m.id).catch(() => null)));
  return [opened, ...others.filter((m): m is MessageDetail => m !== null)].sort(byDate);
}

interface ThreadViewProps {
  openId: string;
  /** Bumped by the page when something in the thread changed (an action, a live event). */
  version: number;
  toolbar: ReactNode;
  onLoaded(messages: MessageDetail[]): void;
  /** A click on a message's label. */
  onPickLabel?(label: string): void;
  /** Reply, reply all or forward one of the thread's messages. */
  onCompose?(messageId: string, kind: 'reply' | 'reply_all' | 'forward'): void;
}

export function ThreadView({ openId, version, toolbar, onLoaded, onPickLabel, onCompose }: ThreadViewProps) {
  const { t } = useMailT();
  // A reload of the same thread (`version`) keeps it on screen and keeps what the reader expanded.
  const query = useQuery({
    queryKey: ['thread', openId, version],
    queryFn: async () => ({ openId, list: await loadThread(openId) }),
    placeholderData: keepPreviousData,
  });
  const loaded = query.data;
  const error = query.error;
  const [expanded, setExpanded] = useState<{ openId: string | null; ids: Set<string> }>({ openId: null, ids: new Set() });

  useEffect(() => {
    if (!loaded) return;
    const { list } = loaded;
    setExpanded((e) =>
      e.openId === loaded.openId
        ? e
        : {
            openId: loaded.openId,
            ids: new Set(list.filter((m) => list.length <= 3 || m.id === loaded.openId || !m.seen).map((m) => m.id)),
          },
    );
    onLoaded(list);
  }, [loaded, onLoaded]);

  if (error) return <ErrorAlert error={error} testId="thread-error" />;
  if (!loaded || loaded.openId !== openId || expanded.openId !== openId)
    return (
      <Center h={200}>
        <Loader size="sm" />
      </Center>
    );
  const messages = loaded.list;
  const subject = messages.find((m) => m.id === openId)?.subject ?? messages[0]?.subject;

  return (
    <Stack gap={0} h="100%" data-testid="thread-view" data-open-id={openId}>
      <Group justify="space-between" wrap="nowrap" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        <Title order={2} size="h4" lineClamp={2} data-testid="thread-subject" style={{ overflowWrap: 'anywhere' }}>
          {subject?.trim() || (messages[0]?.access === 'metadata' ? t('list.hiddenSubject') : t('list.noSubject'))}
        </Title>
        {toolbar}
      </Group>
      <ScrollArea style={{ flex: 1 }} type="auto">
        <Stack gap="sm" p="md">
          {messages.map((m) => (
            <MessageCard
              key={m.id}
              message={m}
              expanded={expanded.ids.has(m.id)}
              onPickLabel={onPickLabel}
              onCompose={onCompose ? (kind) => onCompose(m.id, kind) : undefined}
              onExpand={() => setExpanded((e) => ({ ...e, ids: new Set(e.ids).add(m.id) }))}
            />
          ))}
        </Stack>
      </ScrollArea>
    </Stack>
  );
}

export function ThreadPlaceholder() {
  const { t } = useMailT();
  return (
    <Center h="100%" data-testid="thread-placeholder">
      <Text c="dimmed" size="sm">
        {t('thread.pick')}
      </Text>
    </Center>
  );
}
