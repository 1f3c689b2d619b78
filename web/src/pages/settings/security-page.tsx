import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/page-header.tsx';
import { AuditTrail } from '../../features/security/audit-trail.tsx';
import { SessionsCard } from '../../features/security/sessions-card.tsx';
import { useSecurityT } from '../../features/security/text.ts';
import { TwoFactorCard } from '../../features/security/two-factor-card.tsx';
import { WorkspaceCard } from '../../features/security/workspace-card.tsx';
import { useCurrentUser } from '../../session/session-context.tsx';

/** Everyone manages their own two-factor sign-in here; admins also set workspace rules and read the audit trail. */
export function SecurityPage() {
  const { t } = useSecurityT();
  const me = useCurrentUser();
  const admin = me.role === 'admin';
  return (
    <>
      <PageHeader title={t('page.title')} subtitle={admin ? t('page.adminSubtitle') : t('page.subtitle')} />
      <Stack gap="md" data-testid="security-page">
        <TwoFactorCard />
        <SessionsCard />
        {admin ? (
          <>
            <WorkspaceCard />
            <AuditTrail />
          </>
        ) : null}
      </Stack>
    </>
  );
}
