import { Group, NumberInput, SegmentedControl, Textarea, TextInput } from '@mantine/core';
import { useLastNonNull } from '../../components/use-last-non-null.ts';
import { crmApi } from './api.ts';
import { useFieldForm } from '../../components/field-form.ts';
import { CrmFormBody, CrmFormModal, DateField } from './crm-form.tsx';
import { useCrmT } from './text.ts';
import type { Activity, ActivityKind } from './types.ts';

export interface ActivityLinks {
  contactId?: string;
  companyId?: string;
  dealId?: string;
}

/** `datetime-local` gives local wall time without a zone; the API wants an instant. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

/** Adds a note, a task (due date and reminder) or a call (direction and minutes) to a record. */
export function ActivityFormModal({
  kind,
  links,
  onClose,
  onSaved,
}: {
  kind: ActivityKind | null;
  links: ActivityLinks;
  onClose(): void;
  onSaved(a: Activity): void;
}) {
  const { t } = useCrmT();
  // The last kind stays while the dialog fades out; the form mounts afresh with each opening.
  const shown = useLastNonNull(kind);
  const title = shown === 'task' ? t('activities.addTask') : shown === 'call' ? t('activities.logCall') : t('activities.addNote');
  return (
    <CrmFormModal opened={kind !== null} onClose={onClose} title={title} testId="activity-form">
      {shown ? <ActivityForm key={shown} kind={shown} links={links} onClose={onClose} onSaved={onSaved} /> : null}
    </CrmFormModal>
  );
}

function ActivityForm({
  kind,
  links,
  onClose,
  onSaved,
}: {
  kind: ActivityKind;
  links: ActivityLinks;
  onClose(): void;
  onSaved(a: Activity): void;
}) {
  const { t } = useCrmT();
  const { values, setValue, field, bind, submit, submission } = useFieldForm({
    subject: '',
    body: '',
    due: '',
    reminder: '',
    direction: 'outbound' as 'inbound' | 'outbound',
    minutes: '' as number | string,
  });

  const save = () =>
    submit(async ({ subject, body, due, reminder, direction, minutes }) => {
      const { activity } = await crmApi.createActivity({
        kind,
        subject: subject.trim() || null,
        body: body.trim() || null,
        ...links,
        ...(kind === 'task' && { dueAt: toIso(due), reminderAt: toIso(reminder) }),
        ...(kind === 'call' && { callDirection: direction, callDurationSeconds: minutes === '' ? null : Math.round(Number(minutes) * 60) }),
      });
      onSaved(activity);
    });

  return (
    <CrmFormBody
      testId="activity-form"
      submission={submission}
      onCancel={onClose}
      onSubmit={save}
      disabled={!values.subject.trim() && !values.body.trim()}
    >
      <TextInput label={t('activities.subject')} {...field('subject')} data-testid="activity-form-subject" data-autofocus />
      <Textarea
        label={kind === 'note' ? t('activities.note') : t('activities.details')}
        {...field('body')}
        autosize
        minRows={3}
        maxRows={10}
        data-testid="activity-form-body"
      />
      {kind === 'task' ? (
        <Group grow>
          <DateField type="datetime-local" label={t('activities.due')} {...bind('due')} testId="activity-form-due" />
          <DateField type="datetime-local" label={t('activities.reminder')} {...bind('reminder')} testId="activity-form-reminder" />
        </Group>
      ) : null}
      {kind === 'call' ? (
        <Group grow align="flex-end">
          <SegmentedControl
            value={values.direction}
            onChange={(v) => setValue('direction', v as 'inbound' | 'outbound')}
            data={[
              { value: 'outbound', label: t('activities.outbound') },
              { value: 'inbound', label: t('activities.inbound') },
            ]}
          />
          <NumberInput label={t('activities.minutes')} min={0} {...field('minutes')} data-testid="activity-form-minutes" />
        </Group>
      ) : null}
    </CrmFormBody>
  );
}
