import { ActionIcon, Badge, Box, Button, CloseButton, Chip, Group, Paper, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconInbox, IconKeyboard, IconPencil, IconSearch } from '@tabler/icons-react';
import { useCompose } from '../features/compose/compose-context.tsx';
import { useComposeT } from '../features/compose/text.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { EmptyPage } from '../components/empty-page.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { mailApi } from '../features/mail/api.ts';
import { FolderTree } from '../features/mail/folder-tree.tsx';
import { MessageList } from '../features/mail/message-list.tsx';
import { ShortcutsHelp, useShortcuts, type ShortcutAction } from '../features/mail/shortcuts.tsx';
import { useMailT } from '../features/mail/text.ts';
import { labelQuery } from '../features/mail/label-tags.tsx';
import { ThreadPlaceholder, ThreadView } from '../features/mail/thread-view.tsx';
import { ThreadToolbar } from '../features/mail/thread-toolbar.tsx';
import type { ListScope, MessageDetail, MessageSummary, ReadableMailbox } from '../features/mail/types.ts';
import { useMailActions } from '../features/mail/use-mail-actions.ts';
import { useMailEvents, type MailEvent } from '../features/mail/use-mail-events.ts';
import { useMailboxesNeedingAttention } from '../features/mailboxes/use-attention.ts';
import { useMessageList } from '../features/mail/use-message-list.ts';
import { LoadingBlock } from '../components/data-table.tsx';

const PANE = {
  border: '1px solid var(--mantine-color-gray-3)',
  borderRadius: 'var(--mantine-radius-sm)',
  background: 'var(--mantine-color-white)',
  minHeight: 0,
  overflow: 'hidden',
} as const;

/** 收件箱: the mailbox/folder tree, the message list and the open thread, kept current by server events. */
export function InboxPage() {
  const { t: tc } = useTranslation();
  const { t } = useMailT();
  const { t: tcompose } = useComposeT();
  const { openCompose } = useCompose();
  const [mailboxes, setMailboxes] = useState<ReadableMailbox[] | null>(null);
  const [treeError, setTreeError] = useState<unknown>(null);
  const [scope, setScope] = useState<ListScope>({ mailboxId: null, folderId: null, unread: false, hasAttachments: false, q: null });
  const [searchText, setSearchText] = useState('');
  const searchBox = useRef<HTMLInputElement | null>(null);
  // `/inbox?message=<id>` (links from timelines and the dashboard) opens that message's thread.
  const [searchParams] = useSearchParams();
  const linkedId = searchParams.get('message');
  const [selectedId, setSelectedId] = useState<string | null>(linkedId);
  const [openId, setOpenId] = useState<string | null>(linkedId);
  useEffect(() => {
    if (!linkedId) return;
    setSelectedId(linkedId);
    setOpenId(linkedId);
  }, [linkedId]);
  const [threadVersion, setThreadVersion] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  // Grows when the keyboard moves the cursor, so the list moves the focus with it.
  const [focusTick, setFocusTick] = useState(0);
  const threadIds = useRef<Set<string>>(new Set());
  const threadOf = useRef<string | null>(null);
  const list = useMessageList(scope);
  const items = useMemo(() => list.items ?? [], [list.items]);

  const loadTree = useCallback(async () => {
    try {
      setMailboxes((await mailApi.mailboxes()).items);
      setTreeError(null);
    } catch (err) {
      setTreeError(err);
    }
  }, []);
  useEffect(() => void loadTree(), [loadTree]);

  // Counts follow events; a burst of them (a sync batch) reloads the tree once.
  const treeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshTree = useCallback(() => {
    if (treeTimer.current) clearTimeout(treeTimer.current);
    treeTimer.current = setTimeout(() => void loadTree(), 400);
  }, [loadTree]);
  useEffect(
    () => () => {
      if (treeTimer.current) clearTimeout(treeTimer.current);
    },
    [],
  );

  const mailboxOf = useCallback((m: { mailboxId: string }) => mailboxes?.find((b) => b.id === m.mailboxId) ?? null, [mailboxes]);
  const canChange = useCallback((m: MessageSummary) => mailboxOf(m)?.owned === true, [mailboxOf]);

  const changed = useCallback(
    (id: string) => {
      if (threadIds.current.has(id)) setThreadVersion((v) => v + 1);
      refreshTree();
    },
    [refreshTree],
  );

  // The cursor moves to the neighbour of a message that leaves the list, like a mail client's.
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const left = useCallback((id: string) => {
    const current = itemsRef.current;
    const at = current.findIndex((m) => m.id === id);
    const neighbour = current[at + 1] ?? current[at - 1] ?? null;
    setSelectedId((s) => (s === id ? (neighbour?.id ?? null) : s));
    setOpenId((o) => (o === id ? null : o));
  }, []);

  const actions = useMailActions({ list, scope, changed, left });

  const open = useCallback(
    (m: MessageSummary) => {
      setSelectedId(m.id);
      setOpenId(m.id);
      if (!m.seen && canChange(m)) void actions.markRead(m);
    },
    [actions, canChange],
  );

  const onEvent = useCallback(
    (e: MailEvent) => {
      if (e.type === 'message.deleted') {
        list.remove(e.messageId);
        if (threadIds.current.has(e.messageId)) {
          left(e.messageId);
          setThreadVersion((v) => v + 1);
        }
        refreshTree();
        return;
      }
      mailApi.get(e.messageId).then(
        (detail) => {
          list.place(detail);
          const inThread = threadIds.current.has(detail.id) || (detail.threadId !== null && threadOf.current === detail.threadId);
          if (inThread) setThreadVersion((v) => v + 1);
        },
        () => list.remove(e.messageId),
      );
      refreshTree();
    },
    [list, left, refreshTree],
  );
  const onReconnect = useCallback(() => {
    void list.reload();
    refreshTree();
  }, [list, refreshTree]);
  const { connected } = useMailEvents(onEvent, onReconnect);
  const broken = useMailboxesNeedingAttention();

  const onThreadLoaded = useCallback((messages: MessageDetail[]) => {
    threadIds.current = new Set(messages.map((m) => m.id));
    threadOf.current = messages[0]?.threadId ?? null;
  }, []);
  useEffect(() => {
    if (!openId) {
      threadIds.current = new Set();
      threadOf.current = null;
    }
  }, [openId]);

  const pick = (mailboxId: string | null, folderId: string | null) => {
    setScope((s) => ({ ...s, mailboxId, folderId }));
    setSelectedId(null);
  };

  const current = items.find((m) => m.id === (selectedId ?? openId)) ?? null;
  const opened = items.find((m) => m.id === openId) ?? null;
  const archiveOf = (m: MessageSummary) => mailboxOf(m)?.folders.find((f) => f.role === 'archive') ?? null;
  const trashOf = (m: MessageSummary) => mailboxOf(m)?.folders.find((f) => f.role === 'trash') ?? null;

  useShortcuts(
    (action: ShortcutAction) => {
      const at = current ? items.findIndex((m) => m.id === current.id) : -1;
      if (action === 'help') return setHelpOpen(true);
      if (action === 'search') return searchBox.current?.focus();
      if (action === 'next' || action === 'previous') {
        const next = action === 'next' ? items[Math.min(items.length - 1, at + 1)] : items[Math.max(0, at - 1)];
        if (next) setSelectedId(next.id);
        setFocusTick((n) => n + 1);
        if (action === 'next' && at >= items.length - 2 && list.hasMore) void list.loadMore();
        return;
      }
      if (!current) return;
      if (action === 'open') return open(current);
      if (action === 'reply' || action === 'replyAll' || action === 'forward') {
        const kind = action === 'replyAll' ? 'reply_all' : action;
        return openCompose({ kind, sourceMessageId: openId ?? current.id });
      }
      if (!canChange(current)) return;
      if (action === 'unread') void actions.toggleSeen(current);
      else if (action === 'star') void actions.toggleStar(current);
      else if (action === 'delete') void actions.remove(current);
      else if (action === 'archive') {
        const archive = archiveOf(current);
        if (archive) void actions.move(current, archive);
      }
    },
    mailboxes !== null && mailboxes.length > 0,
  );

  if (mailboxes && mailboxes.length === 0 && !treeError) {
    return (
      <EmptyPage
        testId="inbox-empty"
        title={tc('inbox.title')}
        emptyTitle={tc('inbox.emptyTitle')}
        emptyBody={tc('inbox.emptyBody')}
        icon={<IconInbox size={28} />}
        action={
          <Button component={Link} to="/settings/mailboxes" variant="light" data-testid="inbox-bind-mailbox">
            {tc('inbox.bindMailbox')}
          </Button>
        }
      />
    );
  }

  const filtered = scope.unread || scope.hasAttachments || scope.q !== null;
  const search = (text: string) => {
    setScope((s) => ({ ...s, q: text.trim() || null }));
    setSelectedId(null);
  };
  const openedMailbox = opened ? mailboxOf(opened) : null;
  const toolbar =
    opened && openedMailbox?.owned ? (
      <ThreadToolbar
        message={opened}
        folders={openedMailbox.folders.filter((f) => f.role !== 'trash' || trashOf(opened)?.id === f.id)}
        currentFolderIds={scope.folderId ? [scope.folderId] : []}
        busy={false}
        onSeen={() => void actions.toggleSeen(opened)}
        onStar={() => void actions.toggleStar(opened)}
        onMove={(f) => void actions.move(opened, f)}
        onArchive={archiveOf(opened) ? () => void actions.move(opened, archiveOf(opened)!) : null}
        onDelete={() => void actions.remove(opened)}
      />
    ) : null;

  return (
    <Box
      data-testid="inbox"
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(180px, 230px) minmax(280px, 400px) minmax(0, 1fr)',
        gap: 'var(--mantine-spacing-sm)',
        height: 'calc(100dvh - 48px - 2 * var(--mantine-spacing-md))',
      }}
    >
      {/* The three panes say where you are; the heading outline still needs its h1 (out of the grid's flow). */}
      <VisuallyHidden component="h1">{tc('inbox.title')}</VisuallyHidden>
      <Box style={{ ...PANE, padding: 4 }}>
        {treeError ? <ErrorAlert error={treeError} testId="tree-error" /> : null}
        {mailboxes ? (
          <FolderTree mailboxes={mailboxes} mailboxId={scope.mailboxId} folderId={scope.folderId} onPick={pick} />
        ) : (
          <LoadingBlock p="md" size="xs" />
        )}
      </Box>
      <Box style={{ ...PANE, display: 'flex', flexDirection: 'column' }}>
        <Group px="sm" pt={8} gap="xs" wrap="nowrap">
          <Button size="xs" leftSection={<IconPencil size={14} />} onClick={() => openCompose({ kind: 'new' })} data-testid="inbox-compose">
            {tcompose('actions.compose')}
          </Button>
          <TextInput
            style={{ flex: 1 }}
            ref={searchBox}
            size="xs"
            value={searchText}
            onChange={(e) => setSearchText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') search(searchText);
              // Back to the messages (the cursor, else the first), not to the top of the page.
              if (e.key === 'Escape') {
                if (!items.some((m) => m.id === selectedId) && items[0]) setSelectedId(items[0].id);
                setFocusTick((n) => n + 1);
                if (!items.length) e.currentTarget.blur();
              }
            }}
            placeholder={t('search.placeholder')}
            aria-label={t('search.label')}
            leftSection={<IconSearch size={14} />}
            rightSection={
              searchText ? (
                <CloseButton
                  size="xs"
                  aria-label={t('search.clear')}
                  onClick={() => {
                    setSearchText('');
                    search('');
                  }}
                  data-testid="search-clear"
                />
              ) : null
            }
            data-testid="search-input"
          />
        </Group>
        <Group
          justify="space-between"
          px="sm"
          py={8}
          gap="xs"
          wrap="nowrap"
          style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
        >
          <Group gap={6} wrap="nowrap">
            <Chip size="xs" checked={scope.unread} onChange={(v) => setScope((s) => ({ ...s, unread: v }))} data-testid="filter-unread">
              {t('filters.unread')}
            </Chip>
            <Chip
              size="xs"
              checked={scope.hasAttachments}
              onChange={(v) => setScope((s) => ({ ...s, hasAttachments: v }))}
              data-testid="filter-attachments"
            >
              {t('filters.attachments')}
            </Chip>
          </Group>
          <Group gap={4} wrap="nowrap">
            {broken.length ? (
              // A mailbox that cannot sync is not live, however well the event stream is connected.
              <Tooltip label={t('live.brokenHelp', { email: broken.map((b) => b.email).join(', ') })}>
                <Badge size="xs" variant="dot" color="red" data-testid="live-status" data-connected={connected} data-broken="true">
                  {t('live.broken')}
                </Badge>
              </Tooltip>
            ) : (
              <Tooltip label={connected ? t('live.connected') : t('live.disconnected')}>
                <Badge size="xs" variant="dot" color={connected ? 'teal' : 'gray'} data-testid="live-status" data-connected={connected}>
                  {connected ? t('live.connected') : '…'}
                </Badge>
              </Tooltip>
            )}
            <Tooltip label={t('shortcuts.help')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                onClick={() => setHelpOpen(true)}
                aria-label={t('shortcuts.help')}
                data-testid="shortcuts-button"
              >
                <IconKeyboard size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <Box style={{ flex: 1, minHeight: 0 }}>
          {list.error && !list.items ? (
            <Box p="sm">
              <ErrorAlert error={list.error} testId="list-error" />
            </Box>
          ) : null}
          {list.items ? (
            <MessageList
              items={items}
              selectedId={selectedId}
              openId={openId}
              hasMore={list.hasMore}
              loadingMore={list.loadingMore}
              filtered={filtered}
              canChange={canChange}
              onOpen={open}
              onStar={(m) => void actions.toggleStar(m)}
              onLoadMore={() => void list.loadMore()}
              focusTick={focusTick}
            />
          ) : !list.error ? (
            <LoadingBlock p="md" />
          ) : null}
        </Box>
      </Box>
      <Paper style={{ ...PANE }} data-testid="thread-pane">
        {openId ? (
          <ThreadView
            openId={openId}
            version={threadVersion}
            toolbar={toolbar}
            onLoaded={onThreadLoaded}
            onCompose={(messageId, kind) => openCompose({ kind, sourceMessageId: messageId })}
            onPickLabel={(label) => {
              // The same search as typing label:… in the box, so the box shows what is being searched.
              const q = labelQuery(label);
              setSearchText(q);
              search(q);
            }}
          />
        ) : (
          <ThreadPlaceholder />
        )}
      </Paper>
      <ShortcutsHelp opened={helpOpen} onClose={() => setHelpOpen(false)} search />
    </Box>
  );
}
