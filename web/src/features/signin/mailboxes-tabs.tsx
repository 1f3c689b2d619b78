import { Tabs } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../../session/session-context.tsx';
import { SIGNIN_APPS_PATH } from './signin-panel.tsx';
import { useSigninT } from './text.ts';

/** Settings › Mailboxes has two parts for admins: the mailboxes, and the sign-in apps they bind with. */
export function MailboxesTabs({ active }: { active: 'mailboxes' | 'apps' }) {
  const { t } = useSigninT();
  const me = useCurrentUser();
  const navigate = useNavigate();
  if (me.role !== 'admin') return null;
  return (
    <Tabs value={active} onChange={(v) => navigate(v === 'apps' ? SIGNIN_APPS_PATH : '/settings/mailboxes')} mb="md">
      <Tabs.List>
        <Tabs.Tab value="mailboxes" data-testid="tab-mailboxes">
          {t('tabs.mailboxes')}
        </Tabs.Tab>
        <Tabs.Tab value="apps" data-testid="tab-signin-apps">
          {t('tabs.apps')}
        </Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}
