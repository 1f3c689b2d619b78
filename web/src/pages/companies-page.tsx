import { IconBuilding } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyPage } from '../components/empty-page.tsx';

export function CompaniesPage() {
  const { t } = useTranslation();
  return (
    <EmptyPage
      testId="companies-empty"
      title={t('companies.title')}
      emptyTitle={t('companies.emptyTitle')}
      emptyBody={t('companies.emptyBody')}
      icon={<IconBuilding size={28} />}
    />
  );
}
