import { ActionIcon, Badge, Checkbox, Group, Stack, Text } from '@mantine/core';
import { IconBell, IconChecklist, IconNote, IconPhone, IconTrash, type TablerIcon } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDateTime } from '../../components/format.ts';
import { ActivityFormModal, type ActivityLinks } from './activity-form-modal.tsx';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { AddButton, RecordPanel, usePanelRows } from './record-panel.tsx';
import { FeedCard, FeedEntry } from './feed.tsx';
import { useCrmT } from './text.ts';
import type { Activity, ActivityKind } from './types.ts';
import { replaced } from '../../api/use-keyset-query.ts';
import { usePeople } from './use-people.ts';

const ICON: Record<ActivityKind, TablerIcon> = { note: IconNote, task: IconChecklist, call: IconPhone };
const COLOR: Record<ActivityKind, string> = { note: 'yellow', task: 'blue', call: 'grape' };

/** One activity: a note's text, a task's due date and done box, a call's direction and length. */
export function ActivityItem({
  activity,
  onChange,
  onDelete,
}: {
  activity: Activity;
  onChange(a: Activity): void;
  onDelete(a: Activity): void;
}) {
  const { t, i18n } = useCrmT();
  const { nameOf } = usePeople();
  const [error, setError] = useState<unknown>(null);
  async function toggleDone(done: boolean) {
    try {
      onChange((await crmApi.updateActivity(activity.id, { doneAt: done ? new Date().toISOString() : null })).activity);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <FeedEntry icon={ICON[activity.kind]} color={COLOR[activity.kind]} testId="activity-item" kind={activity.kind} top>
      <Stack gap={2} flex={1} miw={0}>
        <Group gap={6} wrap="nowrap">
          {activity.kind === 'task' ? (
            <Checkbox
              size="xs"
              checked={activity.doneAt !== null}
              onChange={(e) => void toggleDone(e.currentTarget.checked)}
              aria-label={t('activities.markDone')}
              data-testid="activity-done"
            />
          ) : null}
          <Text size="sm" fw={500} td={activity.doneAt ? 'line-through' : undefined}>
            {activity.subject ?? t(`activities.kinds.${activity.kind}`)}
          </Text>
          <Badge size="xs" variant="light" color={COLOR[activity.kind]}>
            {t(`activities.kinds.${activity.kind}`)}
          </Badge>
        </Group>
        {activity.body ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {activity.body}
          </Text>
        ) : null}
        <Group gap="md">
          <Text size="xs" c="dimmed">
            {nameOf(activity.ownerId)} · {formatDateTime(activity.occurredAt, i18n.language, '')}
          </Text>
          {activity.dueAt ? (
            <Text size="xs" c={!activity.doneAt && new Date(activity.dueAt) < new Date() ? 'red' : 'dimmed'} data-testid="activity-due">
              {t('activities.dueOn', { date: formatDateTime(activity.dueAt, i18n.language, '') })}
            </Text>
          ) : null}
          {activity.reminderAt ? (
            <Group gap={2}>
              <IconBell size={12} />
              <Text size="xs" c="dimmed">
                {formatDateTime(activity.reminderAt, i18n.language, '')}
              </Text>
            </Group>
          ) : null}
          {activity.kind === 'call' && activity.callDirection ? (
            <Text size="xs" c="dimmed">
              {t(`activities.${activity.callDirection}`)}
              {activity.callDurationSeconds !== null
                ? ` · ${t('activities.minutesShort', { count: Math.round(activity.callDurationSeconds / 60) })}`
                : ''}
            </Text>
          ) : null}
        </Group>
        <CrmErrorAlert error={error} testId="activity-error" />
      </Stack>
      <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('actions.delete')} onClick={() => onDelete(activity)}>
        <IconTrash size={14} />
      </ActionIcon>
    </FeedEntry>
  );
}

const ADD_BUTTONS = [
  { kind: 'note', label: 'activities.addNote', testId: 'add-note' },
  { kind: 'task', label: 'activities.addTask', testId: 'add-task' },
  { kind: 'call', label: 'activities.logCall', testId: 'log-call' },
] as const;

/** Notes, tasks and calls of one record, newest first, with buttons to add each kind. */
export function ActivitiesPanel({ links }: { links: ActivityLinks }) {
  const { t } = useCrmT();
  const { list, error, adding, setAdding, added, remove } = usePanelRows<Activity, ActivityKind | null>(
    ['activities', links],
    (cursor) => crmApi.activities({ ...links, cursor, limit: 30 }),
    null,
  );

  return (
    <RecordPanel
      testId="activities-panel"
      error={error}
      errorTestId="activities-error"
      actions={ADD_BUTTONS.map(({ kind, label, testId }) => (
        <AddButton key={kind} label={t(label)} onClick={() => setAdding(kind)} testId={testId} />
      ))}
    >
      <FeedCard list={list} empty={t('activities.empty')} testId="activities">
        {(a) => (
          <ActivityItem
            key={a.id}
            activity={a}
            onChange={(n) => list.setItems(replaced(n))}
            onDelete={(x) => remove(x.id, crmApi.deleteActivity(x.id))}
          />
        )}
      </FeedCard>
      <ActivityFormModal kind={adding} links={links} onClose={() => setAdding(null)} onSaved={added} />
    </RecordPanel>
  );
}
