import { IconAddressBook } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../components/empty-page.tsx';

export function ContactsPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="contacts-empty"
      title={t('contacts.title')}
      emptyTitle={t('contacts.emptyTitle')}
      emptyBody={t('contacts.emptyBody')}
      icon={<IconAddressBook size={28} />}
    />
  );
}
