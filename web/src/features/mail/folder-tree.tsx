import { Badge, NavLink, ScrollArea, Text } from '@mantine/core';
import {
  IconArchive,
  IconFolder,
  IconInbox,
  IconMailbox,
  IconSend,
  IconStack2,
  IconTrash,
  IconFileText,
  IconAlertOctagon,
  IconStar,
  IconMailForward,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useFolderName, useMailT } from './text.ts';
import type { FolderNode, ReadableMailbox } from './types.ts';

const ROLE_ICON: Record<string, ReactNode> = {
  inbox: <IconInbox size={16} />,
  sent: <IconSend size={16} />,
  drafts: <IconFileText size={16} />,
  trash: <IconTrash size={16} />,
  junk: <IconAlertOctagon size={16} />,
  archive: <IconArchive size={16} />,
  flagged: <IconStar size={16} />,
};

// Special folders first in the order people expect, then the rest by path.
const ROLE_ORDER = ['inbox', 'flagged', 'drafts', 'sent', 'archive', 'all', 'junk', 'trash'];
function folderOrder(a: FolderNode, b: FolderNode): number {
  const ra = a.role ? ROLE_ORDER.indexOf(a.role) : -1;
  const rb = b.role ? ROLE_ORDER.indexOf(b.role) : -1;
  if (ra !== rb) return (ra === -1 ? 99 : ra) - (rb === -1 ? 99 : rb);
  return a.path.localeCompare(b.path);
}

/** Folders worth listing: the ones that sync, and any that hold mail (a synced folder the owner later unselected). */
export function visibleFolders(mailbox: ReadableMailbox): FolderNode[] {
  return mailbox.folders.filter((f) => f.selected || f.total > 0).sort(folderOrder);
}

const unreadBadge = (n: number, testId: string) =>
  n > 0 ? (
    <Badge size="xs" variant="light" radius="sm" data-testid={testId}>
      {n}
    </Badge>
  ) : null;

interface FolderTreeProps {
  mailboxes: ReadableMailbox[];
  mailboxId: string | null;
  folderId: string | null;
  onPick(mailboxId: string | null, folderId: string | null): void;
}

/** All mailboxes unified, then each readable mailbox with its folders and unread counts. */
export function FolderTree({ mailboxes, mailboxId, folderId, onPick }: FolderTreeProps) {
  const { t } = useMailT();
  const { t: tc } = useTranslation();
  const folderName = useFolderName();
  const totalUnread = mailboxes.reduce((n, m) => n + m.folders.filter((f) => f.role === 'inbox').reduce((k, f) => k + f.unread, 0), 0);

  return (
    <ScrollArea h="100%" type="auto" aria-label={t('tree.label')} data-testid="mail-tree">
      <NavLink
        label={t('tree.all')}
        leftSection={<IconStack2 size={16} />}
        rightSection={unreadBadge(totalUnread, 'tree-all-unread')}
        active={!mailboxId && !folderId}
        onClick={() => onPick(null, null)}
        data-testid="tree-all"
        fw={600}
      />
      <NavLink
        component={Link}
        to="/outbox"
        label={tc('nav.outbox')}
        leftSection={<IconMailForward size={16} />}
        data-testid="tree-outbox"
      />
      {mailboxes.map((m) => (
        <NavLink
          key={m.id}
          label={
            <Text size="sm" truncate="end" title={m.email}>
              {m.displayName || m.email}
            </Text>
          }
          description={m.owned ? undefined : t('tree.shared')}
          leftSection={<IconMailbox size={16} />}
          active={mailboxId === m.id && !folderId}
          opened
          rightSection={<span />}
          childrenOffset={18}
          onClick={() => onPick(m.id, null)}
          data-testid="tree-mailbox"
          data-email={m.email}
        >
          {visibleFolders(m).map((f) => (
            <NavLink
              key={f.id}
              label={
                <Text size="sm" truncate="end" fw={f.unread ? 600 : undefined}>
                  {folderName(f)}
                </Text>
              }
              leftSection={(f.role && ROLE_ICON[f.role]) || <IconFolder size={16} />}
              rightSection={unreadBadge(f.unread, 'tree-folder-unread')}
              active={folderId === f.id}
              onClick={() => onPick(m.id, f.id)}
              data-testid="tree-folder"
              data-role={f.role ?? ''}
              data-name={f.name}
            />
          ))}
        </NavLink>
      ))}
    </ScrollArea>
  );
}
