import { Button, Group, Loader, NumberInput, Paper, Switch, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useState } from 'react';
import { fieldErrors } from '../../api/problem-text.ts';
import { useRecordQuery } from '../../api/use-record-query.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormSubmit } from '../../components/modal-form.tsx';
import { SectionTitle } from '../../components/section-title.tsx';
import { StackForm } from '../../components/stack-form.tsx';
import { securityApi } from './api.ts';
import { useSecurityT } from './text.ts';
import { WORKSPACE_LIMITS, isDomain } from './types.ts';
import type { WorkspaceSettings } from './types.ts';

type Key = keyof WorkspaceSettings;

/** Only the fields that differ, so the audit trail names exactly what an admin changed. */
export function workspacePatch(saved: WorkspaceSettings, draft: WorkspaceSettings): Partial<WorkspaceSettings> {
  const patch: Partial<Record<Key, unknown>> = {};
  for (const key of Object.keys(draft) as Key[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) patch[key] = draft[key];
  }
  return patch as Partial<WorkspaceSettings>;
}

function inRange(value: number, { min, max }: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** The settings that are whole numbers in a range, side by side in the form. */
const NUMBER_FIELDS = [
  {
    key: 'credentialMaxAgeDays',
    label: 'workspace.credentialMaxAge',
    hint: 'workspace.credentialMaxAgeHint',
    unit: 'workspace.days',
    unitWidth: 48,
    testId: 'workspace-credential-age',
  },
  {
    key: 'defaultSyncIntervalMinutes',
    label: 'workspace.syncInterval',
    hint: 'workspace.syncIntervalHint',
    unit: 'workspace.minutes',
    unitWidth: 56,
    testId: 'workspace-sync-interval',
  },
] as const;

/** Workspace-wide rules an admin sets: who binds mailboxes, password age, sync interval, own domains. */
export function WorkspaceCard() {
  const { t } = useSecurityT();
  const {
    record: saved,
    error: loadError,
    setRecord: setSaved,
  } = useRecordQuery(['workspace-settings'], async () => (await securityApi.workspace()).settings);
  // The admin's edits; null while there are none, so the form shows what the server holds.
  const [edited, setEdited] = useState<WorkspaceSettings | null>(null);
  const [domainError, setDomainError] = useState<string | null>(null);
  const { busy, error: saveError, submit } = useFormSubmit();
  const draft = edited ?? saved;

  const set = <K extends Key>(key: K, value: WorkspaceSettings[K]) => setEdited((prev) => ({ ...(prev ?? saved!), [key]: value }));

  function setDomains(values: string[]) {
    const cleaned = values.map((v) => v.trim().toLowerCase()).filter(Boolean);
    const bad = cleaned.find((v) => !isDomain(v));
    if (bad) {
      setDomainError(t('workspace.domainInvalid', { value: bad }));
      return; // the mistyped tag is not added; the message says why
    }
    if (cleaned.length > WORKSPACE_LIMITS.workspaceDomains.max) {
      setDomainError(t('workspace.tooManyDomains', { max: WORKSPACE_LIMITS.workspaceDomains.max }));
      return;
    }
    setDomainError(null);
    set('workspaceDomains', [...new Set(cleaned)]);
  }

  if (!draft || !saved) {
    return (
      <Paper withBorder p="lg" data-testid="workspace-card">
        <SectionTitle title={t('workspace.title')} mb="sm" />
        {loadError ? <ErrorAlert error={loadError} testId="workspace-error" /> : <Loader size="sm" />}
      </Paper>
    );
  }

  const inLimits = NUMBER_FIELDS.every((f) => inRange(draft[f.key], WORKSPACE_LIMITS[f.key]));
  const patch = workspacePatch(saved, draft);
  const dirty = Object.keys(patch).length > 0;
  const serverErrors = fieldErrors(saveError);

  const save = () =>
    submit(dirty && inLimits, async () => {
      const { settings } = await securityApi.updateWorkspace(patch);
      setSaved(settings);
      setEdited(null);
      notifications.show({ color: 'teal', message: t('workspace.saved') });
    });

  const rangeText = (limits: { min: number; max: number }) => t('workspace.outOfRange', limits);

  return (
    <Paper withBorder p="lg" data-testid="workspace-card">
      <StackForm onSubmit={save} gap="md">
        <SectionTitle title={t('workspace.title')} subtitle={t('workspace.subtitle')} />
        <ErrorAlert error={saveError} testId="workspace-save-error" />
        <Switch
          label={t('workspace.membersCanBind')}
          description={t('workspace.membersCanBindHint')}
          checked={draft.membersCanBindMailboxes}
          onChange={(e) => set('membersCanBindMailboxes', e.currentTarget.checked)}
          data-testid="workspace-members-bind"
        />
        <Group grow align="flex-start" gap="md" wrap="wrap">
          {NUMBER_FIELDS.map((f) => (
            <WholeNumberInput
              key={f.key}
              label={t(f.label)}
              description={t(f.hint)}
              unit={t(f.unit)}
              unitWidth={f.unitWidth}
              limits={WORKSPACE_LIMITS[f.key]}
              value={draft[f.key]}
              onChange={(v) => set(f.key, v)}
              error={(!inRange(draft[f.key], WORKSPACE_LIMITS[f.key]) && rangeText(WORKSPACE_LIMITS[f.key])) || serverErrors[f.key]}
              testId={f.testId}
            />
          ))}
        </Group>
        <TagsInput
          label={t('workspace.domains')}
          description={t('workspace.domainsHint')}
          placeholder={draft.workspaceDomains.length ? undefined : t('workspace.domainsPlaceholder')}
          value={draft.workspaceDomains}
          onChange={setDomains}
          splitChars={[',', ' ', ';', '，', '；']}
          acceptValueOnBlur
          clearable
          error={domainError ?? serverErrors.workspaceDomains}
          data-testid="workspace-domains"
        />
        <Group justify="flex-end" gap="sm">
          {dirty ? (
            <Text size="sm" c="dimmed" data-testid="workspace-unsaved">
              {t('workspace.unsaved')}
            </Text>
          ) : null}
          <Button type="submit" loading={busy} disabled={!dirty || !inLimits} data-testid="workspace-save">
            {t('workspace.save')}
          </Button>
        </Group>
      </StackForm>
    </Paper>
  );
}

/** A whole number between `limits` with its unit inside the field's right end; a cleared field is NaN (out of range). */
function WholeNumberInput({
  label,
  description,
  unit,
  unitWidth,
  limits,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  description: string;
  unit: string;
  unitWidth: number;
  limits: { min: number; max: number };
  value: number;
  onChange(value: number): void;
  error?: ReactNode;
  testId: string;
}) {
  return (
    <NumberInput
      label={label}
      description={description}
      rightSection={
        <Text size="xs" c="dimmed">
          {unit}
        </Text>
      }
      rightSectionWidth={unitWidth}
      min={limits.min}
      max={limits.max}
      allowDecimal={false}
      allowNegative={false}
      hideControls
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : Number.NaN)}
      error={error}
      miw={220}
      data-testid={testId}
    />
  );
}
