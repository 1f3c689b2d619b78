import { Badge, Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceMobileCode } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useRequest } from '../../components/use-request.ts';
import { useCurrentUser, useSession } from '../../session/session-context.tsx';
import { securityApi } from './api.ts';
import { twoFactorOn, useSecurityT } from './text.ts';
import { TwoFactorDisableModal } from './two-factor-disable-modal.tsx';
import { TwoFactorSetupModal } from './two-factor-setup-modal.tsx';
import type { SecurityUser, TwoFactorSetup } from './types.ts';

/** The signed-in user's own two-factor state, with the way to turn it on or off. */
export function TwoFactorCard() {
  const { t } = useSecurityT();
  const user = useCurrentUser();
  const { userChanged } = useSession();
  const on = twoFactorOn(user);
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [disabling, setDisabling] = useState(false);
  const { busy: starting, error, run } = useRequest();

  const start = () =>
    run(async () => {
      setSetup(await securityApi.startTwoFactor());
    });

  function changed(next: SecurityUser, message: string) {
    userChanged(next);
    notifications.show({ color: twoFactorOn(next) ? 'teal' : 'gray', message });
  }

  return (
    <Paper withBorder p="lg" data-testid="two-factor-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Group align="flex-start" wrap="nowrap" gap="md">
          <ThemeIcon size={40} radius="md" variant="light" color={on ? 'teal' : 'gray'}>
            <IconDeviceMobileCode size={22} />
          </ThemeIcon>
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2} size="h5">
                {t('twoFactor.title')}
              </Title>
              <Badge size="sm" variant="light" color={on ? 'teal' : 'gray'} data-testid="two-factor-status" data-enabled={on}>
                {on ? t('twoFactor.on') : t('twoFactor.off')}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed" maw={560}>
              {t('twoFactor.description')}
            </Text>
            <Text size="sm">{on ? t('twoFactor.onBody') : t('twoFactor.offBody')}</Text>
            {on ? (
              <Text size="xs" c="dimmed">
                {t('twoFactor.lostPhone')}
              </Text>
            ) : null}
          </Stack>
        </Group>
        {on ? (
          <Button variant="default" color="red" onClick={() => setDisabling(true)} data-testid="two-factor-turn-off">
            {t('twoFactor.turnOff')}
          </Button>
        ) : (
          <Button loading={starting} onClick={() => void start()} data-testid="two-factor-set-up">
            {t('twoFactor.setUp')}
          </Button>
        )}
      </Group>
      {error ? (
        <Stack mt="sm">
          <ErrorAlert error={error} testId="two-factor-error" />
        </Stack>
      ) : null}

      <TwoFactorSetupModal
        setup={setup}
        onClose={() => setSetup(null)}
        onEnabled={(next) => {
          setSetup(null);
          changed(next, t('twoFactor.enabled'));
        }}
      />
      <TwoFactorDisableModal
        opened={disabling}
        onClose={() => setDisabling(false)}
        onDisabled={(next) => {
          setDisabling(false);
          changed(next, t('twoFactor.disabled'));
        }}
      />
    </Paper>
  );
}
