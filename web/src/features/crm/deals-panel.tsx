import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { DealFormModal } from './deal-form-modal.tsx';
import { DealsTable } from './deals-table.tsx';
import { LoadMore } from './load-more.tsx';
import { useCrmT } from './text.ts';
import { prepended, useKeysetQuery } from '../../api/use-keyset-query.ts';
import { usePeople } from './use-people.ts';
import { useStages } from './use-stages.ts';

type Option = { value: string; label: string };

/** The deals of a company or a contact, with a button that creates one already linked. */
export function DealsPanel({
  filter,
  company,
  contacts,
}: {
  filter: { companyId?: string; contactId?: string };
  company?: Option;
  contacts?: Option[];
}) {
  const { t } = useCrmT();
  const { stages } = useStages();
  const { nameOf } = usePeople();
  const [adding, setAdding] = useState(false);
  const list = useKeysetQuery(['deals', filter], (cursor) => crmApi.deals({ ...filter, cursor, limit: 50 }));
  return (
    <Stack gap="sm" data-testid="deals-panel">
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="deal-add">
          {t('deals.create')}
        </Button>
      </Group>
      <CrmErrorAlert error={list.error} testId="deals-panel-error" />
      <Paper withBorder>
        {list.items?.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">
            {t('deals.empty')}
          </Text>
        ) : (
          <DealsTable deals={list.items ?? []} stages={stages} ownerName={nameOf} />
        )}
        <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onClick={() => void list.loadMore()} testId="deals-panel-more" />
      </Paper>
      <DealFormModal
        opened={adding}
        deal={null}
        stages={stages}
        company={company ?? null}
        contacts={contacts ?? []}
        onClose={() => setAdding(false)}
        onSaved={(d) => {
          setAdding(false);
          list.setItems(prepended(d));
        }}
      />
    </Stack>
  );
}
