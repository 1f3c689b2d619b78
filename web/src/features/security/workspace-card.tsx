import { Button, Group, Loader, NumberInput, Paper, Stack, Switch, TagsInput, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { fieldErrors } from '../../api/problem-text.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
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

/** Workspace-wide rules an admin sets: who binds mailboxes, password age, sync interval, own domains. */
export function WorkspaceCard() {
  const { t } = useSecurityT();
  const [saved, setSaved] = useState<WorkspaceSettings | null>(null);
  const [draft, setDraft] = useState<WorkspaceSettings | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [domainError, setDomainError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const { settings } = await securityApi.workspace();
      setSaved(settings);
      // A second answer (StrictMode runs the effect twice; a slow first request) must not wipe what the
      // admin has already changed: the draft starts from the first answer only.
      setDraft((prev) => prev ?? settings);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const set = <K extends Key>(key: K, value: WorkspaceSettings[K]) => setDraft((prev) => (prev ? { ...prev, [key]: value } : prev));

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
        <Title order={2} size="h5" mb="sm">
          {t('workspace.title')}
        </Title>
        {loadError ? <ErrorAlert error={loadError} testId="workspace-error" /> : <Loader size="sm" />}
      </Paper>
    );
  }

  const ageOk = inRange(draft.credentialMaxAgeDays, WORKSPACE_LIMITS.credentialMaxAgeDays);
  const intervalOk = inRange(draft.defaultSyncIntervalMinutes, WORKSPACE_LIMITS.defaultSyncIntervalMinutes);
  const patch = workspacePatch(saved, draft);
  const dirty = Object.keys(patch).length > 0;
  const serverErrors = fieldErrors(saveError);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dirty || !ageOk || !intervalOk) return;
    setBusy(true);
    setSaveError(null);
    try {
      const { settings } = await securityApi.updateWorkspace(patch);
      setSaved(settings);
      setDraft(settings);
      notifications.show({ color: 'teal', message: t('workspace.saved') });
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  }

  const rangeText = (limits: { min: number; max: number }) => t('workspace.outOfRange', limits);

  return (
    <Paper withBorder p="lg" data-testid="workspace-card">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Stack gap={2}>
            <Title order={2} size="h5">
              {t('workspace.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('workspace.subtitle')}
            </Text>
          </Stack>
          <ErrorAlert error={saveError} testId="workspace-save-error" />
          <Switch
            label={t('workspace.membersCanBind')}
            description={t('workspace.membersCanBindHint')}
            checked={draft.membersCanBindMailboxes}
            onChange={(e) => set('membersCanBindMailboxes', e.currentTarget.checked)}
            data-testid="workspace-members-bind"
          />
          <Group grow align="flex-start" gap="md" wrap="wrap">
            <NumberInput
              label={t('workspace.credentialMaxAge')}
              description={t('workspace.credentialMaxAgeHint')}
              rightSection={
                <Text size="xs" c="dimmed">
                  {t('workspace.days')}
                </Text>
              }
              rightSectionWidth={48}
              min={WORKSPACE_LIMITS.credentialMaxAgeDays.min}
              max={WORKSPACE_LIMITS.credentialMaxAgeDays.max}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={draft.credentialMaxAgeDays}
              onChange={(v) => set('credentialMaxAgeDays', typeof v === 'number' ? v : Number.NaN)}
              error={(!ageOk && rangeText(WORKSPACE_LIMITS.credentialMaxAgeDays)) || serverErrors.credentialMaxAgeDays}
              miw={220}
              data-testid="workspace-credential-age"
            />
            <NumberInput
              label={t('workspace.syncInterval')}
              description={t('workspace.syncIntervalHint')}
              rightSection={
                <Text size="xs" c="dimmed">
                  {t('workspace.minutes')}
                </Text>
              }
              rightSectionWidth={56}
              min={WORKSPACE_LIMITS.defaultSyncIntervalMinutes.min}
              max={WORKSPACE_LIMITS.defaultSyncIntervalMinutes.max}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={draft.defaultSyncIntervalMinutes}
              onChange={(v) => set('defaultSyncIntervalMinutes', typeof v === 'number' ? v : Number.NaN)}
              error={(!intervalOk && rangeText(WORKSPACE_LIMITS.defaultSyncIntervalMinutes)) || serverErrors.defaultSyncIntervalMinutes}
              miw={220}
              data-testid="workspace-sync-interval"
            />
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
            <Button type="submit" loading={busy} disabled={!dirty || !ageOk || !intervalOk} data-testid="workspace-save">
              {t('workspace.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
