import { Button } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { EmptyPage } from '../components/empty-page.tsx';

export function InboxPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="inbox-empty"
      title={t('inbox.title')}
      emptyTitle={t('inbox.emptyTitle')}
      emptyBody={t('inbox.emptyBody')}
      icon={<IconInbox size={28} />}
      action={
        <Button component={Link} to="/settings/mailboxes" variant="light" data-testid="inbox-bind-mailbox">
          {t('inbox.bindMailbox')}
        </Button>
      }
    />
  );
}
