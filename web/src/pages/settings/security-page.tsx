import { IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../../components/empty-page.tsx';

export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="security-empty"
      title={t('security.title')}
      subtitle={t('security.subtitle')}
      emptyTitle={t('security.emptyTitle')}
      emptyBody={t('security.emptyBody')}
      icon={<IconShieldLock size={28} />}
    />
  );
}
