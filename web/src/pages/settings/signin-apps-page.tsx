import { Alert, Group, Loader, SimpleGrid } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { signinApi } from '../../features/signin/api.ts';
import { MailboxesTabs } from '../../features/signin/mailboxes-tabs.tsx';
import { SigninAppCard } from '../../features/signin/signin-app-card.tsx';
import { useSigninT } from '../../features/signin/text.ts';
import { useCurrentUser } from '../../session/session-context.tsx';

/** Settings › Mailboxes › Sign-in apps: the Google and Microsoft apps that "Sign in with …" uses (admins). */
export function SigninAppsPage() {
  const { t } = useSigninT();
  const me = useCurrentUser();
  const isAdmin = me.role === 'admin';
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['signin-apps'], queryFn: async () => (await signinApi.apps()).items, enabled: isAdmin });

  return (
    <>
      <PageHeader title={t('apps.title')} subtitle={t('apps.subtitle')} />
      <MailboxesTabs active="apps" />
      {!isAdmin ? (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} data-testid="signin-apps-admin-only">
          {t('apps.adminOnly')}
        </Alert>
      ) : query.isPending ? (
        <Group justify="center" p="xl">
          <Loader size="sm" />
        </Group>
      ) : query.isError ? (
        <ErrorAlert error={query.error} testId="signin-apps-error" />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {query.data.map((app) => (
            <SigninAppCard
              key={app.provider}
              app={app}
              onChanged={() => void queryClient.invalidateQueries({ queryKey: ['signin-apps'] })}
            />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
