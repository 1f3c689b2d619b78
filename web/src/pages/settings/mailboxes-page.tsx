import { Badge } from '@mantine/core';
import { IconMailbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page.tsx';

/** Placeholder until the mailbox binding wizard lands; that work replaces this whole file. */
export function MailboxesPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="mailboxes-empty"
      title={t('mailboxes.title')}
      subtitle={t('mailboxes.subtitle')}
      emptyTitle={t('mailboxes.emptyTitle')}
      emptyBody={t('mailboxes.emptyBody')}
      icon={<IconMailbox size={28} />}
      action={
        <Badge variant="light" color="gray" size="lg">
          {t('common.comingSoon')}
        </Badge>
      }
    />
  );
}
