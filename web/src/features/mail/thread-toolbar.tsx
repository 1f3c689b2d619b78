import { ActionIcon, Group, Menu, Tooltip } from '@mantine/core';
import { IconArchive, IconFolderSymlink, IconMail, IconMailOpened, IconStar, IconStarFilled, IconTrash } from '@tabler/icons-react';
import { useFolderName, useMailT } from './text.ts';
import type { FolderNode, MessageSummary } from './types.ts';

interface ThreadToolbarProps {
  message: MessageSummary;
  folders: FolderNode[];
  currentFolderIds: string[];
  busy: boolean;
  onSeen(): void;
  onStar(): void;
  onMove(folder: FolderNode): void;
  onArchive: (() => void) | null;
  onDelete(): void;
}

/** What the owner can do to the open message: read/unread, star, move, archive, delete. */
export function ThreadToolbar({
  message,
  folders,
  currentFolderIds,
  busy,
  onSeen,
  onStar,
  onMove,
  onArchive,
  onDelete,
}: ThreadToolbarProps) {
  const { t } = useMailT();
  const folderName = useFolderName();
  const icon = (label: string, testId: string, onClick: () => void, child: React.ReactNode, color?: string) => (
    <Tooltip label={label} openDelay={300}>
      <ActionIcon variant="subtle" color={color ?? 'gray'} onClick={onClick} disabled={busy} aria-label={label} data-testid={testId}>
        {child}
      </ActionIcon>
    </Tooltip>
  );
  const targets = folders.filter((f) => !currentFolderIds.includes(f.id));
  return (
    <Group gap={4} wrap="nowrap" data-testid="thread-toolbar">
      {message.seen
        ? icon(t('actions.markUnread'), 'action-unread', onSeen, <IconMail size={18} />)
        : icon(t('actions.markRead'), 'action-read', onSeen, <IconMailOpened size={18} />)}
      {icon(
        message.flagged ? t('actions.unstar') : t('actions.star'),
        'action-star',
        onStar,
        message.flagged ? <IconStarFilled size={18} /> : <IconStar size={18} />,
        message.flagged ? 'yellow' : undefined,
      )}
      {onArchive ? icon(t('actions.archive'), 'action-archive', onArchive, <IconArchive size={18} />) : null}
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <Tooltip label={t('actions.move')} openDelay={300}>
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={busy || !targets.length}
              aria-label={t('actions.move')}
              data-testid="action-move"
            >
              <IconFolderSymlink size={18} />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown data-testid="move-menu">
          {targets.map((f) => (
            <Menu.Item key={f.id} onClick={() => onMove(f)} data-testid="move-target" data-name={f.name} data-role={f.role ?? ''}>
              {folderName(f)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {icon(t('actions.delete'), 'action-delete', onDelete, <IconTrash size={18} />, 'red')}
    </Group>
  );
}
