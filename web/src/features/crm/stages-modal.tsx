import { ActionIcon, Badge, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCheck, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useRequest } from '../../components/use-request.ts';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { useCrmT } from './text.ts';
import type { Stage, StageKind } from './types.ts';

const KIND_COLOR = { open: 'blue', won: 'teal', lost: 'red' } as const;

/** A stage name as typed: each language trimmed, and left out when empty. */
function typedName(en: string, zh: string): Stage['name'] {
  return { ...(en.trim() && { en: en.trim() }), ...(zh.trim() && { 'zh-CN': zh.trim() }) };
}

/** One language of a stage's name, in a row of the modal. */
function NameInput({
  value,
  onChange,
  placeholder,
  label,
  testId,
}: {
  value: string;
  onChange(value: string): void;
  placeholder: string;
  label?: string;
  testId: string;
}) {
  return (
    <TextInput
      flex={1}
      size="xs"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      placeholder={placeholder}
      aria-label={label}
      data-testid={testId}
    />
  );
}

function StageRow({
  stage,
  first,
  last,
  onUp,
  onDown,
  onDelete,
  onSaved,
}: {
  stage: Stage;
  first: boolean;
  last: boolean;
  onUp(): void;
  onDown(): void;
  onDelete(): void;
  onSaved(s: Stage): void;
}) {
  const { t } = useCrmT();
  const [en, setEn] = useState(stage.name.en ?? '');
  const [zh, setZh] = useState(stage.name['zh-CN'] ?? '');
  const { error, run } = useRequest();
  useEffect(() => {
    setEn(stage.name.en ?? '');
    setZh(stage.name['zh-CN'] ?? '');
  }, [stage]);
  const changed = en.trim() !== (stage.name.en ?? '') || zh.trim() !== (stage.name['zh-CN'] ?? '');
  const save = () =>
    run(async () => {
      onSaved((await crmApi.updateStage(stage.id, { name: typedName(en, zh) })).stage);
    });
  return (
    <Stack gap={4} data-testid="stage-row" data-stage={stage.name.en ?? stage.name['zh-CN']}>
      <Group gap="xs" wrap="nowrap">
        <Stack gap={0}>
          <ActionIcon size="xs" variant="subtle" disabled={first} onClick={onUp} aria-label={t('stages.up')} data-testid="stage-up">
            <IconArrowUp size={12} />
          </ActionIcon>
          <ActionIcon size="xs" variant="subtle" disabled={last} onClick={onDown} aria-label={t('stages.down')} data-testid="stage-down">
            <IconArrowDown size={12} />
          </ActionIcon>
        </Stack>
        <NameInput value={en} onChange={setEn} placeholder="English" label={t('stages.nameEn')} testId="stage-name-en" />
        <NameInput value={zh} onChange={setZh} placeholder="中文" label={t('stages.nameZh')} testId="stage-name-zh" />
        <Badge size="sm" variant="light" color={KIND_COLOR[stage.kind]} w={64}>
          {t(`stages.kinds.${stage.kind}`)}
        </Badge>
        <ActionIcon
          variant="light"
          color="teal"
          disabled={!changed || (!en.trim() && !zh.trim())}
          onClick={() => void save()}
          aria-label={t('actions.save')}
          data-testid="stage-save"
        >
          <IconCheck size={14} />
        </ActionIcon>
        <ActionIcon variant="subtle" color="red" onClick={onDelete} aria-label={t('actions.delete')} data-testid="stage-delete">
          <IconTrash size={14} />
        </ActionIcon>
      </Group>
      <CrmErrorAlert error={error} testId="stage-error" />
    </Stack>
  );
}

/** Admins rename, reorder, add and delete (unused) pipeline stages. */
export function StagesModal({
  opened,
  stages,
  onClose,
  onChanged,
}: {
  opened: boolean;
  stages: Stage[];
  onClose(): void;
  onChanged(stages: Stage[]): void;
}) {
  const { t } = useCrmT();
  const [en, setEn] = useState('');
  const [zh, setZh] = useState('');
  const [kind, setKind] = useState<StageKind>('open');
  const { error, run } = useRequest();
  const reload = async () => onChanged((await crmApi.stages()).items);
  const swap = (i: number, j: number) =>
    run(async () => {
      const ids = stages.map((s) => s.id);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      onChanged((await crmApi.reorderStages(ids)).items);
    });

  return (
    <Modal opened={opened} onClose={onClose} title={t('stages.title')} size="lg" data-testid="stages-modal">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('stages.help')}
        </Text>
        <CrmErrorAlert error={error} testId="stages-error" />
        {stages.map((s, i) => (
          <StageRow
            key={s.id}
            stage={s}
            first={i === 0}
            last={i === stages.length - 1}
            onUp={() => void swap(i, i - 1)}
            onDown={() => void swap(i, i + 1)}
            onDelete={() =>
              void run(async () => {
                await crmApi.deleteStage(s.id);
                await reload();
              })
            }
            onSaved={(n) => onChanged(stages.map((x) => (x.id === n.id ? n : x)))}
          />
        ))}
        <Group gap="xs" wrap="nowrap" mt="sm">
          <NameInput value={en} onChange={setEn} placeholder={t('stages.newEn')} testId="stage-new-en" />
          <NameInput value={zh} onChange={setZh} placeholder={t('stages.newZh')} testId="stage-new-zh" />
          <Select
            size="xs"
            w={100}
            data={(['open', 'won', 'lost'] as const).map((k) => ({ value: k, label: t(`stages.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => setKind((v as StageKind) ?? 'open')}
            allowDeselect={false}
            aria-label={t('stages.kind')}
          />
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            disabled={!en.trim() && !zh.trim()}
            data-testid="stage-add"
            onClick={() =>
              void run(async () => {
                await crmApi.createStage(typedName(en, zh), kind);
                setEn('');
                setZh('');
                await reload();
              })
            }
          >
            {t('stages.add')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
