import { Group, NumberInput, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { ChoiceField } from '../../components/choice-control.tsx';
import { useMailboxesT } from './text.ts';
import type { Backfill, ContactCreation, SyncMode, Visibility } from './types.ts';

export interface SyncOptions {
  visibility: Visibility;
  syncMode: SyncMode;
  syncIntervalMinutes: number;
  backfill: Backfill;
  contactCreation: ContactCreation;
}

const VISIBILITIES: Visibility[] = ['private', 'share_all', 'subject_only', 'metadata_only'];
const BACKFILLS: Backfill[] = ['30d', '90d', '1y', 'all'];
const CONTACT_CREATION: ContactCreation[] = ['off', 'sent', 'all'];

/** 可见范围, 同步频率, how far back to fetch, and which correspondents become contacts. */
export function SyncOptionsFields({ value, onChange }: { value: SyncOptions; onChange(next: SyncOptions): void }) {
  const { t } = useMailboxesT();
  return (
    <Stack gap="sm">
      <Select
        label={t('sync.visibility')}
        description={t(`sync.visibilityHelp.${value.visibility}`)}
        data={VISIBILITIES.map((v) => ({ value: v, label: t(`sync.visibilityOptions.${v}`) }))}
        value={value.visibility}
        onChange={(v) => v && onChange({ ...value, visibility: v as Visibility })}
        allowDeselect={false}
        data-testid="sync-visibility"
      />
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('sync.frequency')}
        </Text>
        <Group gap="sm" align="center">
          <SegmentedControl
            size="xs"
            data={[
              { value: 'realtime', label: t('sync.realtime') },
              { value: 'interval', label: t('sync.interval') },
            ]}
            value={value.syncMode}
            onChange={(v) => onChange({ ...value, syncMode: v as SyncMode })}
            data-testid="sync-mode"
          />
          {value.syncMode === 'interval' ? (
            <NumberInput
              size="xs"
              w={130}
              min={1}
              max={60}
              value={value.syncIntervalMinutes}
              onChange={(v) => onChange({ ...value, syncIntervalMinutes: typeof v === 'number' ? v : value.syncIntervalMinutes })}
              rightSection={
                <Text size="xs" c="dimmed" pr={6}>
                  {t('sync.minutes')}
                </Text>
              }
              rightSectionWidth={48}
              aria-label={t('sync.intervalMinutes')}
              data-testid="sync-interval"
            />
          ) : null}
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {t(value.syncMode === 'realtime' ? 'sync.realtimeHelp' : 'sync.intervalHelp')}
        </Text>
      </div>
      <ChoiceField
        label={t('sync.backfill')}
        hint={t('sync.backfillHelp')}
        size="xs"
        options={BACKFILLS.map((b) => ({ value: b, label: t(`sync.backfillOptions.${b}`) }))}
        value={value.backfill}
        onChange={(backfill) => onChange({ ...value, backfill })}
        testId="sync-backfill"
      />
      <Select
        label={t('sync.contactCreation')}
        data={CONTACT_CREATION.map((c) => ({ value: c, label: t(`sync.contactCreationOptions.${c}`) }))}
        value={value.contactCreation}
        onChange={(v) => v && onChange({ ...value, contactCreation: v as ContactCreation })}
        allowDeselect={false}
        data-testid="sync-contact-creation"
      />
    </Stack>
  );
}
