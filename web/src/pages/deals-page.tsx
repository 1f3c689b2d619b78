import { IconTargetArrow } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../components/empty-page.tsx';

export function DealsPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="deals-empty"
      title={t('deals.title')}
      emptyTitle={t('deals.emptyTitle')}
      emptyBody={t('deals.emptyBody')}
      icon={<IconTargetArrow size={28} />}
    />
  );
}
