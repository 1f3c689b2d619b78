import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useCrmT } from './text.ts';

/** Moving a deal to a lost stage asks why: the reason is what a team learns from. */
export function LostReasonModal({
  opened,
  onCancel,
  onConfirm,
}: {
  opened: boolean;
  onCancel(): void;
  onConfirm(reason: string): Promise<void>;
}) {
  const { t } = useCrmT();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) setReason('');
  }, [opened]);
  return (
    <Modal opened={opened} onClose={onCancel} title={t('deals.lostTitle')} data-testid="lost-reason">
      <Stack gap="sm">
        <Textarea
          label={t('fields.lostReason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          required
          data-autofocus
          data-testid="lost-reason-input"
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Button
            color="red"
            loading={busy}
            disabled={!reason.trim()}
            data-testid="lost-reason-submit"
            onClick={() => {
              setBusy(true);
              onConfirm(reason.trim()).finally(() => setBusy(false));
            }}
          >
            {t('deals.markLost')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
