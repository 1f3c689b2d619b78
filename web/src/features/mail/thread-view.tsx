import { Center, Group, Loader, ScrollArea, Stack, Text, Title } from '@mantine/core';
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
}

export function ThreadView({ openId, version, toolbar, onLoaded }: ThreadViewProps) {
  const { t } = useMailT();
  const [messages, setMessages] = useState<MessageDetail[] | null>(null);
  const [shownFor, setShownFor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());

  useEffect(() => {
    let live = true;
    loadThread(openId).then((list) => {
      if (!live) return;
      setMessages(list);
      setError(null);
      if (shownFor !== openId) {
        setShownFor(openId);
        setExpanded(new Set(list.filter((m) => list.length <= 3 || m.id === openId || !m.seen).map((m) => m.id)));
      }
      onLoaded(list);
    }, (err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
    // shownFor and onLoaded are read, not followed: a reload of the same thread keeps what the reader expanded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openId, version]);

  if (error) return <ErrorAlert error={error} testId="thread-error" />;
  if (!messages || shownFor !== openId) return <Center h={200}><Loader size="sm" /></Center>;
  const subject = messages.find((m) => m.id === openId)?.subject ?? messages[0]?.subject;

  return (
    <Stack gap={0} h="100%" data-testid="thread-view" data-open-id={openId}>
      <Group justify="space-between" wrap="nowrap" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        <Title order={4} lineClamp={2} data-testid="thread-subject" style={{ overflowWrap: 'anywhere' }}>
          {subject?.trim() || (messages[0]?.access === 'metadata' ? t('list.hiddenSubject') : t('list.noSubject'))}
        </Title>
        {toolbar}
      </Group>
      <ScrollArea style={{ flex: 1 }} type="auto">
        <Stack gap="sm" p="md">
          {messages.map((m) => (
            <MessageCard key={m.id} message={m} expanded={expanded.has(m.id)} onExpand={() => setExpanded((s) => new Set(s).add(m.id))} />
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
      <Text c="dimmed" size="sm">{t('thread.pick')}</Text>
    </Center>
  );
}
