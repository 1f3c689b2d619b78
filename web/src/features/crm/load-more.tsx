import { Button, Group } from '@mantine/core';
import { useCrmT } from './text.ts';

export function LoadMore({ hasMore, loading, onClick, testId }: { hasMore: boolean; loading: boolean; onClick(): void; testId: string }) {
  const { t } = useCrmT();
  if (!hasMore) return null;
  return (
    <Group justify="center" p="sm">
      <Button variant="default" size="xs" loading={loading} onClick={onClick} data-testid={testId}>
        {t('actions.loadMore')}
      </Button>
    </Group>
  );
}
